import type { AuditEvent } from '../../api/types';
import { formatDateTime } from '../../lib/format';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** One event; an admin change shows each changed field before and after. */
export function AuditEventDetail({ event }: { event: AuditEvent }) {
  const { changes, credentialsChanged, ...rest } = event.data as {
    changes?: Record<string, { before: unknown; after: unknown }>;
    credentialsChanged?: string[];
  } & Record<string, unknown>;
  return (
    <>
      <dl className="facts">
        <dt>When</dt>
        <dd>{formatDateTime(event.occurredAt)}</dd>
        <dt>Outcome</dt>
        <dd>{event.outcome}</dd>
        <dt>Actor</dt>
        <dd>
          {event.actor.type} {event.actor.id ?? ''}
        </dd>
        <dt>Subject</dt>
        <dd>{event.subject ?? '—'}</dd>
        <dt>Client</dt>
        <dd>{event.clientId ?? '—'}</dd>
        <dt>IP address</dt>
        <dd>{event.ip ?? '—'}</dd>
        <dt>Sequence</dt>
        <dd>{event.seq}</dd>
      </dl>
      {changes && Object.keys(changes).length > 0 && (
        <div className="table-wrap">
          <table className="data changes">
            <caption>Changes</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(changes).map(([field, { before, after }]) => (
                <tr key={field}>
                  <th scope="row">{field}</th>
                  <td>
                    <pre>{show(before)}</pre>
                  </td>
                  <td>
                    <pre>{show(after)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {credentialsChanged && credentialsChanged.length > 0 && (
        <p>Credentials changed (values never recorded): {credentialsChanged.join(', ')}</p>
      )}
      {Object.keys(rest).length > 0 && (
        <>
          <h3>Data</h3>
          <pre className="snippet" tabIndex={0}>
            {JSON.stringify(rest, null, 2)}
          </pre>
        </>
      )}
      <p className="sub mono hash">hash {event.hash}</p>
    </>
  );
}
