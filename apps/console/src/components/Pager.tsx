import { useCallback, useState } from 'react';

/** Cursor pagination: the API gives the next cursor; going back pops the ones we came through. */
export function useCursorPager() {
  const [trail, setTrail] = useState<string[]>([]);
  const cursor = trail.length ? trail[trail.length - 1] : undefined;
  const next = useCallback((nextCursor: string) => setTrail((t) => [...t, nextCursor]), []);
  const previous = useCallback(() => setTrail((t) => t.slice(0, -1)), []);
  const reset = useCallback(() => setTrail([]), []);
  return { cursor, page: trail.length + 1, next, previous, reset };
}

export function Pager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof useCursorPager>;
  nextCursor: string | null | undefined;
}) {
  if (pager.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-small" disabled={pager.page === 1} onClick={pager.previous}>
        Previous
      </button>
      <span>Page {pager.page}</span>
      <button
        type="button"
        className="btn btn-small"
        disabled={!nextCursor}
        onClick={() => nextCursor && pager.next(nextCursor)}
      >
        Next
      </button>
    </nav>
  );
}
