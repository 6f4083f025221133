import { combine, percentile, ratio, summarize, workloadTable, type ServerSample } from './stats.js';

const sample = (rps: number, overrides: Partial<ServerSample> = {}): ServerSample => ({
  rps,
  p50Ms: 1,
  p99Ms: 2,
  errors: 0,
  completed: rps,
  peakRssMb: 100,
  cpuMsPerOp: 1,
  ...overrides,
});

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles of a sorted array', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBe(0);
  });

  it('summarizes unsorted latencies into throughput and percentiles', () => {
    const summary = summarize([5, 1, 3, 2, 4], 500, 1);
    expect(summary).toEqual({ rps: 10, p50Ms: 3, p99Ms: 5, errors: 1, completed: 5 });
  });

  it('combines interleaved runs: mean throughput, summed errors, highest RSS', () => {
    const combined = combine([sample(100, { errors: 1, peakRssMb: 90 }), sample(200, { peakRssMb: 120 })]);
    expect(combined.rps).toBe(150);
    expect(combined.errors).toBe(1);
    expect(combined.peakRssMb).toBe(120);
  });

  it('divides ours by the reference, and answers 0 without a reference', () => {
    expect(ratio(90, 100)).toBeCloseTo(0.9);
    expect(ratio(5, 0)).toBe(0);
  });

  it('marks gated workloads against the 0.9 target in the markdown table', () => {
    const table = workloadTable([
      { name: 'fast enough', gated: true, reference: [sample(100)], ours: [sample(95)] },
      { name: 'too slow', gated: true, reference: [sample(100)], ours: [sample(50)] },
      { name: 'informative', gated: false, reference: [sample(100)], ours: [sample(50)] },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toContain('0.95 ✅');
    expect(lines[3]).toContain('0.50 ❌');
    expect(lines[4]).toContain('| 0.50 |');
  });
});
