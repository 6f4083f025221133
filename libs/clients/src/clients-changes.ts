import { Injectable } from '@nestjs/common';

export type ClientsChangedListener = (tenantId: string) => Promise<void>;

/**
 * "A tenant's clients or API resources changed": what the protocol engine listens to, to
 * rebuild that tenant's provider. Shared by the client and resource services.
 */
@Injectable()
export class ClientsChangeFeed {
  private readonly listeners: ClientsChangedListener[] = [];

  onChange(listener: ClientsChangedListener): void {
    this.listeners.push(listener);
  }

  async changed(tenantId: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(tenantId)));
  }
}
