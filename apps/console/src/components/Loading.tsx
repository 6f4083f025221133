import { useEffect, useState } from 'react';

/** How long a request may take before a loading indicator appears (no flicker on fast answers). */
export const LOADING_DELAY_MS = 300;

export function Loading({ label = 'Loading…' }: { label?: string }) {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), LOADING_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  if (!visible) return null;
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** A button's own busy state, e.g. "Saving…", shown after the same delay. */
export function useDelayedFlag(active: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), LOADING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [active]);
  return shown;
}
