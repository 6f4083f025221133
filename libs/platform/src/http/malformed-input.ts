/**
 * Input no client sends in good faith, refused with a 400 before it reaches code that cannot
 * take it: Postgres refuses NUL in text (the query failed, a 500), and deeply nested JSON
 * overflows recursive code (class-transformer, class-validator). One predicate for every
 * surface: the Express app (admin API, account API, pages) and the protocol engine.
 */

/** Deeper than any document our APIs accept (their DTOs nest two or three levels). */
export const MAX_JSON_DEPTH = 32;

/** A NUL byte, raw or percent-encoded, anywhere in a URL (path or query). */
export function urlHasNul(url: string): boolean {
  return url.includes('\u0000') || /%00/i.test(url);
}

/**
 * Why a parsed body (or query object) is refused, or null. Iterative, so a deep document
 * cannot overflow the check itself; it stops at the first offence.
 */
export function malformedValue(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return 'a value contains a NUL byte';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return `the document is nested deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) return 'a field name contains a NUL byte';
      pending.push([child, depth + 1]);
    }
  }
  return null;
}

/** Postgres' answers to text it cannot store: NUL (22021) and untranslatable characters (22P05). */
export function isInvalidTextError(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code;
  return code === '22021' || code === '22P05';
}
