import { useState } from 'react';
import { tenantPath, useApiMutation, usePage } from '../../api/hooks';
import type { UserSession } from '../../api/types';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';

/** A user's sign-in sessions; ending one also kills the refresh tokens issued in it. */
export function UserSessions({ slug, userId, canWrite }: { slug: string; userId: string; canWrite: boolean }) {
  const path = tenantPath(slug, `/users/${userId}/sessions`);
  const sessions = usePage<UserSession>(path);
  const endOne = useApiMutation<string>('DELETE', (sid) => `${path}/${encodeURIComponent(sid)}`);
  const endAll = useApiMutation('DELETE', path);
  const [ending, setEnding] = useState<UserSession | 'all' | null>(null);
  return (
    <QueryView query={sessions}>
      {(page) => (
        <>
          {page.items.length === 0 ? (
            <EmptyState title="No active sessions" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Sessions</caption>
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">IP address</th>
                    <th scope="col">Applications</th>
                    <th scope="col">Last seen</th>
                    {canWrite && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((s) => (
                    <tr key={s.id}>
                      <td>
                        {s.device}
                        <span className="sub">since {formatDateTime(s.createdAt)}</span>
                      </td>
                      <td className="mono">{s.ip ?? '—'}</td>
                      <td>{s.clients.join(', ') || '—'}</td>
                      <td>{formatDateTime(s.lastSeenAt)}</td>
                      {canWrite && (
                        <td>
                          <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setEnding(s)}>
                            End session<span className="visually-hidden"> on {s.device}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {canWrite && page.items.length > 0 && (
            <button type="button" className="btn btn-danger" onClick={() => setEnding('all')}>
              End all sessions
            </button>
          )}
          <ConfirmDialog
            open={ending !== null}
            title={ending === 'all' ? 'End every session of this user?' : 'End this session?'}
            message={<p>The user is signed out there, and the refresh tokens issued in it stop working.</p>}
            confirmLabel={ending === 'all' ? 'End all sessions' : 'End session'}
            onConfirm={() => (ending === 'all' ? endAll.mutateAsync() : endOne.mutateAsync((ending as UserSession).id))}
            onClose={() => setEnding(null)}
          />
        </>
      )}
    </QueryView>
  );
}
