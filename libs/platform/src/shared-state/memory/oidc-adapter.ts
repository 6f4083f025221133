import { growingLru } from '../../cache/growing-lru.js';
import {
  type AdapterFactory,
  epochSeconds,
  GRANTABLE_MODELS,
  type OidcAdapter,
  type OidcPayload,
} from '../oidc-adapter.js';

/** Dev-mode equivalent of the Redis adapter for one process: same semantics, bounded size. */
export function createMemoryAdapterFactory(): AdapterFactory {
  const entries = growingLru<string, OidcPayload>(100_000, { ttlAutopurge: false });
  const refs = growingLru<string, string>(100_000);
  const grants = growingLru<string, Set<string>>(100_000);

  const factory = (model: string): OidcAdapter => {
    const key = (id: string) => `${model}:${id}`;
    const lookup = (ref: string) => {
      const id = refs.get(ref);
      return id ? entries.get(key(id)) : undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        const ttl = Math.max(1, Math.ceil(expiresIn)) * 1000;
        entries.set(key(id), structuredClone(payload), { ttl });
        if (GRANTABLE_MODELS.has(model) && payload.grantId) {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          grants.set(payload.grantId, members);
        }
        if (payload.uid) refs.set(`${model}:uid:${payload.uid}`, id, { ttl });
        if (payload.userCode) refs.set(`${model}:userCode:${payload.userCode}`, id, { ttl });
      },
      async find(id) {
        const found = entries.get(key(id));
        return found ? structuredClone(found) : undefined;
      },
      async findByUid(uid) {
        return lookup(`${model}:uid:${uid}`);
      },
      async findByUserCode(userCode) {
        return lookup(`${model}:userCode:${userCode}`);
      },
      async consume(id) {
        const found = entries.get(key(id));
        if (found && !found.consumed)
          entries.set(key(id), { ...found, consumed: epochSeconds() }, { ttl: entries.getRemainingTTL(key(id)) });
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const member of grants.get(grantId) ?? []) entries.delete(member);
        grants.delete(grantId);
      },
    };
  };

  return Object.assign(factory, {
    async count(model: string) {
      let total = 0;
      for (const key of entries.keys()) if (key.startsWith(`${model}:`)) total++;
      return total;
    },
    async purgeTenant() {
      entries.clear();
      refs.clear();
      grants.clear();
    },
  });
}
