import type { Redis } from 'ioredis';
import {
  type AdapterFactory,
  epochSeconds,
  GRANTABLE_MODELS,
  type OidcAdapter,
  type OidcPayload,
} from '../oidc-adapter.js';

// Sets `consumed` without touching the TTL (KEEPTTL); atomic, so a code is consumed once.
// The first consumption time is kept: a refresh reuse grace window counts from it and a
// reuse inside the window cannot push it forward.
const CONSUME_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local payload = cjson.decode(raw)
if payload['consumed'] then return 1 end
payload['consumed'] = tonumber(ARGV[1])
redis.call('SET', KEYS[1], cjson.encode(payload), 'KEEPTTL')
return 1`;

/**
 * Every key of a tenant carries the hash tag `{tenantId}`: one Redis Cluster slot per
 * tenant, so the MULTI that writes a token and its grant index is legal on a cluster.
 * Layout: `{prefix}{tenant}:{Model}:{id}`, grant index `{prefix}{tenant}:grant:{grantId}`
 * (a set of model keys), uid/userCode lookups `{prefix}{tenant}:{Model}:uid:{uid}`.
 */
export function createRedisAdapterFactory(redis: Redis, options: { prefix: string; tenantId: string }): AdapterFactory {
  const base = `${options.prefix}{${options.tenantId}}:`;
  const grantKey = (grantId: string) => `${base}grant:${grantId}`;

  const factory = (model: string): OidcAdapter => {
    const key = (id: string) => `${base}${model}:${id}`;
    const uidKey = (uid: string) => `${base}${model}:uid:${uid}`;
    const userCodeKey = (code: string) => `${base}${model}:userCode:${code}`;
    const parse = (raw: string | null) => (raw ? (JSON.parse(raw) as OidcPayload) : undefined);

    return {
      async upsert(id, payload, expiresIn) {
        const ttl = Math.max(1, Math.ceil(expiresIn));
        const multi = redis.multi().set(key(id), JSON.stringify(payload), 'EX', ttl);
        if (GRANTABLE_MODELS.has(model) && payload.grantId) {
          // The index may outlive a member; it never expires before one.
          multi.sadd(grantKey(payload.grantId), key(id));
          multi.expire(grantKey(payload.grantId), ttl, 'GT');
          multi.expire(grantKey(payload.grantId), ttl, 'NX');
        }
        if (payload.userCode) multi.set(userCodeKey(payload.userCode), id, 'EX', ttl);
        if (payload.uid) multi.set(uidKey(payload.uid), id, 'EX', ttl);
        await multi.exec();
      },
      async find(id) {
        return parse(await redis.get(key(id)));
      },
      async findByUid(uid) {
        const id = await redis.get(uidKey(uid));
        return id ? parse(await redis.get(key(id))) : undefined;
      },
      async findByUserCode(userCode) {
        const id = await redis.get(userCodeKey(userCode));
        return id ? parse(await redis.get(key(id))) : undefined;
      },
      async consume(id) {
        await redis.eval(CONSUME_SCRIPT, 1, key(id), epochSeconds());
      },
      async destroy(id) {
        await redis.unlink(key(id));
      },
      async revokeByGrantId(grantId) {
        const members = await redis.smembers(grantKey(grantId));
        await redis.unlink(grantKey(grantId), ...members);
      },
    };
  };

  const scanAll = async (pattern: string, each: (keys: string[]) => Promise<void>) => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await each(keys);
      cursor = next;
    } while (cursor !== '0');
  };
  const escaped = base.replace(/[?*[\]\\]/g, '\\$&');

  return Object.assign(factory, {
    async count(model: string) {
      let total = 0;
      await scanAll(`${escaped}${model}:*`, async (keys) => {
        total += keys.filter((k) => !/:(uid|userCode):[^:]*$/.test(k.slice(base.length + model.length))).length;
      });
      return total;
    },
    async purgeTenant() {
      await scanAll(`${escaped}*`, async (keys) => {
        await redis.unlink(...keys);
      });
    },
  });
}
