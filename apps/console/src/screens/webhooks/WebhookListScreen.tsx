import { useState } from 'react';
import { Link } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, usePage, useTenantSlug } from '../../api/hooks';
import type { Webhook } from '../../api/types';
import { can } from '../../auth/principal';
import { Dialog } from '../../components/Dialog';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { SecretReveal } from '../../components/Secret';
import { EmptyState, QueryView } from '../../components/States';
import { WebhookForm } from './WebhookForm';

export const HEALTH_TONE = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad' } as const;

export function WebhookListScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const pager = useCursorPager();
  const hooks = usePage<Webhook>(tenantPath(slug, '/webhooks'), { cursor: pager.cursor, limit: 20 });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Webhook | null>(null);
  const close = () => {
    setCreating(false);
    setCreated(null);
  };
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive this tenant's audit events as signed JSON POSTs."
        actions={
          can(principal, 'webhooks:write') && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create endpoint
            </button>
          )
        }
      />
      <QueryView query={hooks}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No webhook endpoints yet" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Webhook endpoints</caption>
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((hook) => (
                    <tr key={hook.id}>
                      <td>
                        <Link to={`/t/${slug}/webhooks/${hook.id}`}>{hook.url}</Link>
                        {hook.description && <span className="sub">{hook.description}</span>}
                      </td>
                      <td>{hook.eventTypes.join(', ')}</td>
                      <td>
                        {hook.enabled ? (
                          <StatusBadge tone={HEALTH_TONE[hook.status]}>{hook.status}</StatusBadge>
                        ) : (
                          <StatusBadge tone="muted">disabled</StatusBadge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Pager pager={pager} nextCursor={hooks.data?.nextCursor} />
      <Dialog open={creating} title={created ? 'Endpoint created' : 'Create a webhook endpoint'} onClose={close}>
        {created?.secret ? (
          <>
            <p>Verify each delivery's X-Webhook-Signature with this signing secret.</p>
            <SecretReveal label="Signing secret" secret={created.secret} onDone={close} />
          </>
        ) : (
          <WebhookForm path={tenantPath(slug, '/webhooks')} onSaved={setCreated} onCancel={close} />
        )}
      </Dialog>
    </>
  );
}
