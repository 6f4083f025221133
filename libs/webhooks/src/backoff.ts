/** ±20 % jitter, so endpoints that failed together do not all retry in the same instant. */
const JITTER = 0.2;

/**
 * Delay before retrying after failed attempt number `attempt` (1-based), or null when the
 * schedule is exhausted and the delivery is given up.
 */
export function retryDelay(delaysMs: number[], attempt: number, random = Math.random): number | null {
  const base = delaysMs[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** Event-type filters: exact (`login.success`), a prefix (`login.*`) or everything (`*`). */
export function matchesEventType(filters: string[], type: string): boolean {
  return filters.some(
    (filter) => filter === '*' || filter === type || (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}
