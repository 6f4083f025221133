import { adapterContract } from '@app/testing';
import { MemoryTokenDenyList } from './deny-list.js';
import { LocalEventBus } from './event-bus.js';
import { createMemoryAdapterFactory } from './oidc-adapter.js';
import type { AdapterFactory } from '../oidc-adapter.js';

// The in-process store keeps one factory per tenant (as the shared state does).
const perTenant = new Map<string, AdapterFactory>();
adapterContract('in-process', (tenantId) => {
  if (!perTenant.has(tenantId)) perTenant.set(tenantId, createMemoryAdapterFactory());
  return perTenant.get(tenantId)!;
});

describe('in-process deny-list and event bus', () => {
  it('denies a jti for its remaining lifetime only', async () => {
    const denyList = new MemoryTokenDenyList();
    await denyList.deny('t', 'j', Math.floor(Date.now() / 1000) + 60);
    await denyList.deny('t', 'old', Math.floor(Date.now() / 1000) - 1);
    expect(await denyList.isDenied('t', 'j')).toBe(true);
    expect(await denyList.isDenied('other', 'j')).toBe(false);
    expect(await denyList.isDenied('t', 'old')).toBe(false);
  });

  it('delivers events in process', async () => {
    const bus = new LocalEventBus();
    const received = new Promise<string>((resolve) => void bus.subscribe('c', resolve));
    await bus.publish('c', 'hello');
    await expect(received).resolves.toBe('hello');
  });
});
