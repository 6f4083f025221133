import type { Redis } from 'ioredis';
import type { EventBus } from '../event-bus.js';

export class RedisEventBus implements EventBus {
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, ((message: string) => void)[]>();

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
  ) {
    // A subscribed connection can issue nothing else, so it is a connection of its own.
    this.subscriber = publisher.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    const full = this.prefix + channel;
    const existing = this.handlers.get(full);
    if (existing) existing.push(handler);
    else {
      this.handlers.set(full, [handler]);
      await this.subscriber.subscribe(full);
    }
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
