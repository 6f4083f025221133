import { TEST_REDIS_URL, testRedisPrefix } from '@app/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { type DeliveryJob, type DeliveryQueue, MemoryDeliveryQueue, RedisDeliveryQueue } from './delivery-queue.js';

const redis = new Redis(TEST_REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

function job(tenantId = 'tenant-a'): DeliveryJob {
  return {
    id: randomUUID(),
    tenantId,
    endpointId: randomUUID(),
    eventId: randomUUID(),
    eventType: 'login.success',
    body: '{"type":"login.success"}',
    attempts: 0,
  };
}

const LEASE = 60_000;
const T0 = 1_764_700_000_000;

/** The contract both queues keep; `instance()` is a new queue over the same storage (a restart). */
function queueContract(name: string, instance: () => DeliveryQueue) {
  describe(`${name} delivery queue`, () => {
    it('hands out a due job once: a second claimer sees nothing while the lease holds', async () => {
      const [a, b] = [instance(), instance()];
      const queued = job();
      await a.enqueue(queued, T0);
      const claimedByA = await a.claim(10, LEASE, T0 + 1);
      expect(claimedByA.map((c) => c.job)).toEqual([queued]);
      expect(await b.claim(10, LEASE, T0 + 2)).toEqual([]);
      expect(await a.complete(claimedByA[0])).toBe(true);
    });

    it('parallel claimers on several instances never share a job', async () => {
      const jobs = Array.from({ length: 40 }, () => job('parallel'));
      for (const queued of jobs) await instance().enqueue(queued, T0);
      const instances = Array.from({ length: 5 }, instance);
      const rounds = await Promise.all(instances.flatMap((q) => [q.claim(7, LEASE, T0), q.claim(7, LEASE, T0)]));
      const ids = rounds.flat().map((c) => c.job.id);
      expect(ids.length).toBe(40);
      expect(new Set(ids).size).toBe(40);
      for (const claimed of rounds.flat()) expect(await instances[0].complete(claimed)).toBe(true);
    });

    it('does not hand out a job before it is due', async () => {
      const q = instance();
      await q.enqueue(job(), T0 + 5_000);
      expect(await q.claim(10, LEASE, T0)).toEqual([]);
      const [claimed] = await q.claim(10, LEASE, T0 + 5_000);
      await q.complete(claimed);
    });

    it('survives a crash: once the lease ends, a new instance picks the job up', async () => {
      const queued = job();
      await instance().enqueue(queued, T0);
      const [held] = await instance().claim(10, LEASE, T0); // …and that instance dies holding it
      expect(held.job.id).toBe(queued.id);
      const restarted = instance();
      expect(await restarted.claim(10, LEASE, T0 + LEASE - 1)).toEqual([]);
      const [taken] = await restarted.claim(10, LEASE, T0 + LEASE);
      expect(taken.job).toEqual(queued);
      // The crashed holder's lease is gone: it can no longer settle the job.
      expect(await instance().complete(held)).toBe(false);
      expect(await restarted.complete(taken)).toBe(true);
      expect(await restarted.count(queued.tenantId)).toBe(0);
    });

    it('a retry keeps the attempt count and comes back when due', async () => {
      const q = instance();
      const queued = job();
      await q.enqueue(queued, T0);
      const [first] = await q.claim(10, LEASE, T0);
      first.job.attempts = 1;
      expect(await q.retry(first, T0 + 10_000)).toBe(true);
      expect(await instance().claim(10, LEASE, T0 + 9_999)).toEqual([]);
      const [second] = await instance().claim(10, LEASE, T0 + 10_000);
      expect(second.job).toEqual({ ...queued, attempts: 1 });
      await q.complete(second);
    });

    it('claims at most the batch size, oldest first', async () => {
      const q = instance();
      const jobs = [job(), job(), job()];
      for (const [i, queued] of jobs.entries()) await q.enqueue(queued, T0 + 3 - i);
      const claimed = await q.claim(2, LEASE, T0 + 10);
      expect(claimed.map((c) => c.job.id)).toEqual([jobs[2].id, jobs[1].id]);
      for (const c of [...claimed, ...(await q.claim(10, LEASE, T0 + 10))]) await q.complete(c);
    });

    it('purging a tenant removes its jobs only', async () => {
      const q = instance();
      await q.enqueue(job('doomed'), T0);
      await q.enqueue(job('doomed'), T0);
      const kept = job('kept');
      await q.enqueue(kept, T0);
      expect(await q.count('doomed')).toBe(2);
      await q.purgeTenant('doomed');
      expect(await q.count('doomed')).toBe(0);
      const claimed = await q.claim(10, LEASE, T0);
      expect(claimed.map((c) => c.job.id)).toEqual([kept.id]);
      await q.complete(claimed[0]);
    });
  });
}

const prefix = testRedisPrefix();
prefixes.push(prefix);
queueContract('Redis', () => new RedisDeliveryQueue(redis, prefix));

let memory: MemoryDeliveryQueue | null = null;
// One process, one store: "another instance" shares the same memory (as after an in-process restart of the poller).
queueContract('memory', () => (memory ??= new MemoryDeliveryQueue()));

describe('Redis delivery queue key layout', () => {
  it("keeps each job under its tenant's hash tag, so deleting the tenant's keys deletes its jobs", async () => {
    const own = testRedisPrefix();
    prefixes.push(own);
    const q = new RedisDeliveryQueue(redis, own);
    const queued = job('layout');
    await q.enqueue(queued, T0);
    expect(await redis.keys(`${own}{layout}:*`)).toEqual([`${own}{layout}:webhook-job:${queued.id}`]);
    await redis.del(`${own}{layout}:webhook-job:${queued.id}`);
    // The index entry of a job whose keys are gone is dropped at the next claim.
    expect(await q.claim(10, LEASE, T0)).toEqual([]);
    expect(await redis.zcard(`${own}webhooks:due`)).toBe(0);
  });
});
