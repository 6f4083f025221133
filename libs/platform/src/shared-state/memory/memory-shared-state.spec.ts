import { MemoryTokenStats } from './token-stats.js';
import { hourBucket } from '../token-stats.js';
import { adapterContract } from '@app/testing';
import { MemoryTokenDenyList } from './deny-list.js';
import { LocalEventBus } from './event-bus.js';
import { createMemoryAdapterFactory } from './oidc-adapter.js';
import { MemorySingleUseValues } from './single-use-values.js';
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

describe('in-process token and sign-in counts', () => {
  it('answers the last 24 hours one by one, per tenant, sign-ins beside tokens', async () => {
    const stats = new MemoryTokenStats();
    await stats.recordIssued('t1', 'client_credentials');
    await stats.recordIssued('t1', 'implicit');
    await stats.recordSignIn('t1');
    await stats.recordSignIn('t2');
    const hours = await stats.hourlyLast24h('t1');
    expect(hours).toHaveLength(24);
    expect(hours[23]).toEqual({
      hour: hourBucket(Date.now()),
      counts: { authorization_code: 0, refresh_token: 0, client_credentials: 1, sign_in: 1 },
    });
    expect(hours.slice(0, 23).every((h) => Object.values(h.counts).every((n) => n === 0))).toBe(true);
    expect(await stats.issuedLast24h('t1')).toEqual({ authorization_code: 0, refresh_token: 0, client_credentials: 1 });
    stats.forgetTenant('t1');
    expect((await stats.hourlyLast24h('t1'))[23].counts.sign_in).toBe(0);
    expect((await stats.hourlyLast24h('t2'))[23].counts.sign_in).toBe(1);
  });
});

describe('in-process single-use values', () => {
  it('hands a value out once, to its tenant only, and not after its lifetime', async () => {
    const values = new MemorySingleUseValues();
    await values.put('t', 'challenge', 'v', 60);
    expect(await values.take('other', 'challenge')).toBeNull();
    expect(await values.take('t', 'challenge')).toBe('v');
    expect(await values.take('t', 'challenge')).toBeNull();
    await values.put('t', 'short', 'v', 0.05);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await values.take('t', 'short')).toBeNull();
  });

  it('of ten parallel takes exactly one gets the value', async () => {
    const values = new MemorySingleUseValues();
    await values.put('t', 'k', 'v', 60);
    const taken = await Promise.all(Array.from({ length: 10 }, () => values.take('t', 'k')));
    expect(taken.filter(Boolean)).toEqual(['v']);
  });
});
