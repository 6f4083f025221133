/** Pure arithmetic and formatting of benchmark results (no I/O, unit-tested). */

export interface WorkloadSample {
  /** Completed requests (or whole flows, for logins) per second over the measured window. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were not 2xx (or a flow that did not end where it should), plus socket errors. */
  errors: number;
  completed: number;
}

export interface ServerSample extends WorkloadSample {
  /** Peak resident set size (VmHWM) of the server process during this run, in MB. */
  peakRssMb: number;
  /**
   * Server CPU time per completed request (or flow), in ms: unlike throughput, barely moved by
   * other processes competing for the same cores, so it shows where the cost is.
   */
  cpuMsPerOp: number;
}

export interface WorkloadResult {
  name: string;
  /** Whether ours / reference throughput has a ≥ 0.9 target. */
  gated: boolean;
  reference: ServerSample[];
  ours: ServerSample[];
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(latenciesMs: number[], durationMs: number, errors: number): WorkloadSample {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    rps: durationMs > 0 ? (sorted.length * 1000) / durationMs : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
    completed: sorted.length,
  };
}

/** Several interleaved runs of one server: mean throughput, mean percentiles, summed errors, max RSS. */
export function combine(samples: ServerSample[]): ServerSample {
  const mean = (pick: (s: ServerSample) => number) =>
    samples.length ? samples.reduce((sum, s) => sum + pick(s), 0) / samples.length : 0;
  return {
    rps: mean((s) => s.rps),
    p50Ms: mean((s) => s.p50Ms),
    p99Ms: mean((s) => s.p99Ms),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    completed: samples.reduce((sum, s) => sum + s.completed, 0),
    peakRssMb: Math.max(0, ...samples.map((s) => s.peakRssMb)),
    cpuMsPerOp: mean((s) => s.cpuMsPerOp),
  };
}

export function ratio(ours: number, reference: number): number {
  return reference > 0 ? ours / reference : 0;
}

export const THROUGHPUT_TARGET = 0.9;

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One row per workload: throughput, latency, errors and RSS of each server, and the ratio. */
export function workloadTable(results: WorkloadResult[]): string {
  const rows = results.map((w) => {
    const ref = combine(w.reference);
    const ours = combine(w.ours);
    const r = ratio(ours.rps, ref.rps);
    const verdict = w.gated ? (r >= THROUGHPUT_TARGET ? ' ✅' : ' ❌') : '';
    return [
      w.name,
      fixed(ref.rps, 0),
      fixed(ours.rps, 0),
      `${fixed(r, 2)}${verdict}`,
      `${fixed(ref.p50Ms, 1)} / ${fixed(ref.p99Ms, 1)}`,
      `${fixed(ours.p50Ms, 1)} / ${fixed(ours.p99Ms, 1)}`,
      `${ref.errors} / ${ours.errors}`,
      `${fixed(ref.peakRssMb, 0)} / ${fixed(ours.peakRssMb, 0)}`,
      `${fixed(ref.cpuMsPerOp, 2)} / ${fixed(ours.cpuMsPerOp, 2)}`,
    ];
  });
  return markdownTable(
    [
      'workload',
      'reference req/s',
      'ours req/s',
      'ours / ref',
      'ref p50 / p99 ms',
      'ours p50 / p99 ms',
      'errors ref / ours',
      'peak RSS MB ref / ours',
      'CPU ms per op ref / ours',
    ],
    rows,
  );
}

export interface Check {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

export function checksTable(checks: Check[]): string {
  return markdownTable(
    ['target', 'goal', 'measured', ''],
    checks.map((c) => [c.name, c.target, c.measured, c.pass ? '✅' : '❌']),
  );
}
