import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useResource, useTenantSlug } from '../../api/hooks';
import type { Webhook, WebhookDelivery } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog } from '../../components/Dialog';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { SecretReveal } from '../../components/Secret';
import { EmptyState, QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { WebhookForm } from './WebhookForm';
import { HEALTH_TONE } from './WebhookListScreen';

function Deliveries({ path }: { path: string }) {
  const pager = useCursorPager();
  const deliveries = usePage<WebhookDelivery>(`${path}/deliveries`, { cursor: pager.cursor, limit: 20 });
  return (
    <>
      <QueryView query={deliveries}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="Nothing delivered yet" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Deliveries</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">Attempt</th>
                    <th scope="col">Result</th>
                    <th scope="col">Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => (
                    <tr key={d.id}>
                      <td>{formatDateTime(d.deliveredAt)}</td>
                      <td className="mono">{d.eventType}</td>
                      <td>{d.attempt}</td>
                      <td>
                        <StatusBadge tone={d.status === 'succeeded' ? 'ok' : 'bad'}>
                          {d.status}
                          {d.statusCode ? ` (${d.statusCode})` : ''}
                        </StatusBadge>
                        {d.error && <span className="sub">{d.error}</span>}
                      </td>
                      <td>{d.durationMs} ms</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Pager pager={pager} nextCursor={deliveries.data?.nextCursor} />
    </>
  );
}

export function WebhookDetailScreen() {
  const slug = useTenantSlug();
  const { id = '' } = useParams();
  const principal = usePrincipal();
  const navigate = useNavigate();
  const path = tenantPath(slug, `/webhooks/${encodeURIComponent(id)}`);
  const hook = useResource<Webhook>(path);
  const rotate = useApiMutation<void, Webhook>('POST', `${path}/secret`, () => ({}));
  const test = useApiMutation<void, { eventId: string }>('POST', `${path}/test`);
  const remove = useApiMutation('DELETE', path);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const mayWrite = can(principal, 'webhooks:write');
  return (
    <QueryView query={hook}>
      {(h) => (
        <>
          <PageHeader
            title="Webhook endpoint"
            description={
              <>
                <span className="mono">{h.url}</span>{' '}
                {h.enabled ? (
                  <StatusBadge tone={HEALTH_TONE[h.status]}>{h.status}</StatusBadge>
                ) : (
                  <StatusBadge tone="muted">disabled</StatusBadge>
                )}
                {h.disabledReason && ` — ${h.disabledReason}`}
              </>
            }
            actions={
              mayWrite && (
                <>
                  <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending}>
                    Send test event
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirm('rotate')}>
                    Rotate secret
                  </button>
                  <button type="button" className="btn btn-danger" onClick={() => setConfirm('delete')}>
                    Delete
                  </button>
                </>
              )
            }
          />
          {test.data && (
            <p className="alert alert-info" role="status">
              A webhook.test event ({test.data.eventId}) is queued; it appears in the delivery log once sent.
            </p>
          )}
          {rotate.data?.secret && (
            <section className="card">
              <h2>New signing secret</h2>
              <SecretReveal label="Signing secret" secret={rotate.data.secret} onDone={() => rotate.reset()} />
            </section>
          )}
          <section className="card" aria-labelledby="hook-settings">
            <h2 id="hook-settings">Settings</h2>
            <WebhookForm
              key={h.url + h.enabled + h.eventTypes.join()}
              webhook={h}
              path={path}
              readOnly={!mayWrite}
              onSaved={() => undefined}
            />
          </section>
          <section className="card" aria-labelledby="hook-deliveries">
            <h2 id="hook-deliveries">Delivery log</h2>
            <Deliveries path={path} />
          </section>
          <ConfirmDialog
            open={confirm === 'rotate'}
            title="Rotate the signing secret?"
            message={<p>The old secret stops signing at once; receivers must verify with the new one.</p>}
            confirmLabel="Rotate secret"
            onConfirm={() => rotate.mutateAsync()}
            onClose={() => setConfirm(null)}
          />
          <ConfirmDialog
            open={confirm === 'delete'}
            title="Delete this endpoint?"
            message={<p>It receives no more events, and its delivery log is removed.</p>}
            confirmLabel="Delete endpoint"
            onConfirm={async () => {
              await remove.mutateAsync();
              navigate(`/t/${slug}/webhooks`, { replace: true });
            }}
            onClose={() => setConfirm(null)}
          />
        </>
      )}
    </QueryView>
  );
}
