import { EventEmitter } from 'node:events';
import type { EventBus } from '../event-bus.js';

export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  async publish(channel: string, message: string): Promise<void> {
    this.emitter.emit(channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    this.emitter.on(channel, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
