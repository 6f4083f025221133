import type { ReactNode } from 'react';
import { ApiError } from '../api/http';
import { SessionEndedError } from '../auth/session';
import { Loading } from './Loading';

export function describeError(error: unknown): { title: string; message: string } {
  if (error instanceof ApiError) {
    if (error.forbidden)
      return { title: 'Not allowed', message: `You do not have permission to do this (${error.message}).` };
    if (error.notFound) return { title: 'Not found', message: 'It does not exist, or it was deleted.' };
    if (error.status === 429) return { title: 'Too many requests', message: 'Wait a moment and try again.' };
    if (error.status >= 500) return { title: 'The server could not answer', message: error.message };
    return { title: 'Refused', message: error.message };
  }
  if (error instanceof SessionEndedError) return { title: 'Signed out', message: error.message };
  if (error instanceof TypeError) return { title: 'No connection', message: 'The server could not be reached.' };
  return { title: 'Something went wrong', message: error instanceof Error ? error.message : String(error) };
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, message } = describeError(error);
  const forbidden = error instanceof ApiError && error.forbidden;
  return (
    <div className={`alert ${forbidden ? 'alert-warning' : 'alert-error'}`} role="alert">
      <p className="alert-title">
        {forbidden ? '403 — ' : ''}
        {title}
      </p>
      <p>{message}</p>
      {onRetry && !forbidden && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Loading (after 300 ms), the error, or the data: the three states of every fetched view. */
export function QueryView<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <Loading />;
  return <>{children(query.data)}</>;
}
