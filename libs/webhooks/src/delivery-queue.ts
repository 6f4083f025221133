import type { Redis } from 'ioredis';

/** One event on its way to one endpoint. `body` is the exact JSON that is signed and sent. */
export interface DeliveryJob {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
  /** Attempts made so far (0 before the first). */
  attempts: number;
}

/** A job this instance holds until `lease` ends; only the holder can finish or reschedule it. */
export interface ClaimedJob {
  job: DeliveryJob;
  lease: number;
}

/**
 * Due deliveries, shared by every instance. A claim hides a job for `leaseMs`; if the holder
 * crashes before finishing it, the job becomes due again when the lease ends — so queued
 * work survives a restart, and two live instances never hold the same attempt.
 */
export interface DeliveryQueue {
  enqueue(job: DeliveryJob, dueAt?: number): Promise<void>;
  claim(limit: number, leaseMs: number, now?: number): Promise<ClaimedJob[]>;
  /** Done (delivered or given up). False when the lease was lost to another instance. */
  complete(claimed: ClaimedJob): Promise<boolean>;
  retry(claimed: ClaimedJob, dueAt: number): Promise<boolean>;
  /** Jobs of a tenant still queued (for tests and tenant deletion checks). */
  count(tenantId: string): Promise<number>;
  purgeTenant(tenantId: string): Promise<void>;
}

// Atomic claim on the one "due" sorted set: re-scoring a member to the lease's end hides it
// from every other claimer until then; the new score is the holder's proof of ownership.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], member) end
return due`;

// Reschedule (ARGV[3] = new score) or remove (no ARGV[3]) — only while the caller's lease holds.
const SETTLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) else redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1`;

/**
 * Redis layout: one sorted set `{prefix}webhooks:due` of `<tenantId>/<jobId>` scored by due
 * time (ms), and each job's fields in a hash under the tenant's hash tag
 * (`{prefix}{tenantId}:webhook-job:<jobId>`), so deleting a tenant's keys deletes its jobs.
 * Every script touches the sorted set only: safe on Redis Cluster.
 */
export class RedisDeliveryQueue implements DeliveryQueue {
  private readonly dueKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.dueKey = `${prefix}webhooks:due`;
  }

  private jobKey(tenantId: string, jobId: string): string {
    return `${this.prefix}{${tenantId}}:webhook-job:${jobId}`;
  }

  async enqueue(job: DeliveryJob, dueAt = Date.now()): Promise<void> {
    await this.redis.hset(this.jobKey(job.tenantId, job.id), { ...job, attempts: String(job.attempts) });
    await this.redis.zadd(this.dueKey, dueAt, `${job.tenantId}/${job.id}`);
  }

  async claim(limit: number, leaseMs: number, now = Date.now()): Promise<ClaimedJob[]> {
    const lease = now + leaseMs;
    const members = (await this.redis.eval(CLAIM, 1, this.dueKey, now, lease, limit)) as string[];
    const claimed: ClaimedJob[] = [];
    for (const member of members) {
      const [tenantId, jobId] = member.split('/');
      const fields = await this.redis.hgetall(this.jobKey(tenantId, jobId));
      if (!fields.id) {
        // Its tenant was deleted (its keys with it): drop the index entry too.
        await this.redis.eval(SETTLE, 1, this.dueKey, member, lease);
        continue;
      }
      claimed.push({ job: { ...(fields as unknown as DeliveryJob), attempts: Number(fields.attempts) }, lease });
    }
    return claimed;
  }

  async complete({ job, lease }: ClaimedJob): Promise<boolean> {
    const settled = (await this.redis.eval(SETTLE, 1, this.dueKey, `${job.tenantId}/${job.id}`, lease)) === 1;
    if (settled) await this.redis.unlink(this.jobKey(job.tenantId, job.id));
    return settled;
  }

  async retry({ job, lease }: ClaimedJob, dueAt: number): Promise<boolean> {
    // The attempt count is saved first: once rescheduled, another instance may claim the job.
    await this.redis.hset(this.jobKey(job.tenantId, job.id), 'attempts', String(job.attempts));
    return (await this.redis.eval(SETTLE, 1, this.dueKey, `${job.tenantId}/${job.id}`, lease, dueAt)) === 1;
  }

  private async membersOf(tenantId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await this.redis.zscan(this.dueKey, cursor, 'MATCH', `${tenantId}/*`, 'COUNT', 500);
      for (let i = 0; i < page.length; i += 2) members.push(page[i]);
      cursor = next;
    } while (cursor !== '0');
    return members;
  }

  async count(tenantId: string): Promise<number> {
    return (await this.membersOf(tenantId)).length;
  }

  async purgeTenant(tenantId: string): Promise<void> {
    const members = await this.membersOf(tenantId);
    if (!members.length) return;
    await this.redis.zrem(this.dueKey, ...members);
    await this.redis.unlink(...members.map((member) => this.jobKey(tenantId, member.split('/')[1])));
  }
}

/** Without Redis (single instance, dev): the same contract, in this process only. */
export class MemoryDeliveryQueue implements DeliveryQueue {
  private readonly jobs = new Map<string, { job: DeliveryJob; score: number }>();

  async enqueue(job: DeliveryJob, dueAt = Date.now()): Promise<void> {
    this.jobs.set(job.id, { job: { ...job }, score: dueAt });
  }

  async claim(limit: number, leaseMs: number, now = Date.now()): Promise<ClaimedJob[]> {
    const due = [...this.jobs.values()].filter((entry) => entry.score <= now).sort((a, b) => a.score - b.score);
    return due.slice(0, limit).map((entry) => {
      entry.score = now + leaseMs;
      return { job: { ...entry.job }, lease: entry.score };
    });
  }

  async complete({ job, lease }: ClaimedJob): Promise<boolean> {
    if (this.jobs.get(job.id)?.score !== lease) return false;
    this.jobs.delete(job.id);
    return true;
  }

  async retry({ job, lease }: ClaimedJob, dueAt: number): Promise<boolean> {
    const entry = this.jobs.get(job.id);
    if (entry?.score !== lease) return false;
    this.jobs.set(job.id, { job: { ...job }, score: dueAt });
    return true;
  }

  async count(tenantId: string): Promise<number> {
    return [...this.jobs.values()].filter((entry) => entry.job.tenantId === tenantId).length;
  }

  async purgeTenant(tenantId: string): Promise<void> {
    for (const [id, entry] of this.jobs) if (entry.job.tenantId === tenantId) this.jobs.delete(id);
  }
}
