import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useConsole, usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, useResource, useTenantSlug } from '../../api/hooks';
import type { Application, Tenant } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog } from '../../components/Dialog';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { RolePicker } from '../../components/RolePicker';
import { CopyButton, SecretReveal } from '../../components/Secret';
import { QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { CONSOLE_CLIENT_ID } from '../../lib/locations';
import { ApplicationForm } from './ApplicationForm';
import { quickStartSnippet, TYPE_GUIDANCE } from './quick-start';

function QuickStart({ app, issuer }: { app: Application; issuer: string }) {
  const discovery = `${issuer}/.well-known/openid-configuration`;
  const snippet = quickStartSnippet({
    issuer,
    clientId: app.clientId,
    applicationType: app.applicationType,
    redirectUri: app.redirectUris[0],
    resource: app.resources[0],
  });
  return (
    <section className="card" aria-labelledby="quick-start">
      <h2 id="quick-start">Quick start</h2>
      <dl className="facts">
        <dt>Discovery URL</dt>
        <dd>
          <code>{discovery}</code> <CopyButton text={discovery} label="Copy discovery URL" />
        </dd>
        <dt>Client ID</dt>
        <dd>
          <code>{app.clientId}</code> <CopyButton text={app.clientId} label="Copy client ID" />
        </dd>
      </dl>
      <p>
        With <a href="https://github.com/panva/openid-client">openid-client</a> (Node.js):
      </p>
      <pre className="snippet" tabIndex={0} aria-label="Example code">
        <code>{snippet}</code>
      </pre>
      <CopyButton text={snippet} label="Copy example" />
    </section>
  );
}

export function ApplicationDetailScreen() {
  const slug = useTenantSlug();
  const { clientId = '' } = useParams();
  const principal = usePrincipal();
  const { at } = useConsole();
  const navigate = useNavigate();
  const path = tenantPath(slug, `/clients/${encodeURIComponent(clientId)}`);
  const app = useResource<Application>(path);
  const tenant = useResource<Tenant>(tenantPath(slug));
  const [confirm, setConfirm] = useState<'delete' | 'rotate' | null>(null);
  const rotate = useApiMutation<void, Application>('POST', `${path}/secret`);
  const remove = useApiMutation('DELETE', path);
  const builtIn = clientId === CONSOLE_CLIENT_ID;
  const mayWrite = can(principal, 'clients:write') && !builtIn;
  return (
    <QueryView query={app}>
      {(a) => (
        <>
          <PageHeader
            title={a.name}
            description={
              <>
                {TYPE_GUIDANCE[a.applicationType].title} · created {formatDateTime(a.createdAt)}
                {builtIn && (
                  <>
                    {' '}
                    <StatusBadge tone="muted">built in</StatusBadge> The console signs in with this client; it cannot be
                    changed or deleted.
                  </>
                )}
              </>
            }
            actions={
              mayWrite && (
                <>
                  {(a.applicationType === 'web' || a.applicationType === 'service') && (
                    <button type="button" className="btn" onClick={() => setConfirm('rotate')}>
                      Rotate secret
                    </button>
                  )}
                  <button type="button" className="btn btn-danger" onClick={() => setConfirm('delete')}>
                    Delete
                  </button>
                </>
              )
            }
          />
          {rotate.data?.clientSecret && (
            <section className="card">
              <h2>New client secret</h2>
              <SecretReveal label="Client secret" secret={rotate.data.clientSecret} onDone={() => rotate.reset()} />
            </section>
          )}
          <section className="card" aria-labelledby="app-settings">
            <h2 id="app-settings">Settings</h2>
            <ApplicationForm app={a} path={path} readOnly={!mayWrite} adminResource={at.adminApi} />
          </section>
          {a.applicationType === 'service' && can(principal, 'roles:read') && (
            <section className="card" aria-labelledby="app-roles">
              <h2 id="app-roles">Roles</h2>
              <p className="sub">Permissions of these roles go into the service’s access tokens.</p>
              <RolePicker
                slug={slug}
                owner={`/clients/${encodeURIComponent(a.clientId)}`}
                canWrite={can(principal, 'roles:write')}
              />
            </section>
          )}
          <QuickStart app={a} issuer={tenant.data?.issuer ?? at.issuer(slug)} />
          <ConfirmDialog
            open={confirm === 'rotate'}
            title="Rotate the client secret?"
            message={<p>The current secret stops working at once. Every service using it must get the new one.</p>}
            confirmLabel="Rotate secret"
            onConfirm={() => rotate.mutateAsync()}
            onClose={() => setConfirm(null)}
          />
          <ConfirmDialog
            open={confirm === 'delete'}
            title={`Delete “${a.name}”?`}
            message={<p>Its tokens stop working and it can no longer sign anyone in. This cannot be undone.</p>}
            confirmLabel="Delete application"
            onConfirm={async () => {
              await remove.mutateAsync();
              navigate(`/t/${slug}/applications`, { replace: true });
            }}
            onClose={() => setConfirm(null)}
          />
        </>
      )}
    </QueryView>
  );
}
