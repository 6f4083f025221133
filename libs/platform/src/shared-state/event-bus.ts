/** Broadcast to every instance (this one included) — e.g. "tenant changed, drop your cache". */
export interface EventBus {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}
