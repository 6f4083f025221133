import { useQuery } from '@tanstack/react-query';
import { useConsole, usePrincipal } from '../../app/console-context';
import { tenantPath, useResource, useTenantSlug } from '../../api/hooks';
import type { Readiness, Tenant, TenantStats } from '../../api/types';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { BarChart } from './BarChart';

const TONE = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad' } as const;

/** Deployment-wide, so only operators see it; /health/ready is public and needs no token. */
function DependencyHealth() {
  const { at } = useConsole();
  const readiness = useQuery({
    queryKey: ['health'],
    queryFn: async () => (await fetch(`${at.publicUrl}/health/ready`)).json() as Promise<Readiness>,
    refetchInterval: 30_000,
  });
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">Dependencies</h2>
      <QueryView query={readiness}>
        {(ready) => (
          <ul className="health-list">
            {Object.entries(ready.dependencies).map(([name, state]) => (
              <li key={name}>
                <span className="health-name">{name}</span>
                <StatusBadge tone={TONE[state.status]}>{state.status}</StatusBadge>
                <span className="sub">
                  {state.kind}
                  {state.required ? ', required' : ', optional'}
                  {state.responseTimeMs !== null ? ` · ${state.responseTimeMs} ms` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function hourLabel(iso: string): string {
  return `${String(new Date(iso).getHours()).padStart(2, '0')}:00`;
}

export function DashboardScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const tenant = useResource<Tenant>(tenantPath(slug));
  const stats = useResource<TenantStats>(tenantPath(slug, '/stats'));
  return (
    <>
      <PageHeader
        title={tenant.data ? tenant.data.displayName : slug}
        description={tenant.data && <span className="mono">{tenant.data.issuer}</span>}
      />
      <QueryView query={stats}>
        {(s) => {
          const tokens = Object.values(s.tokensIssuedLast24h).reduce((a, b) => a + b, 0);
          return (
            <>
              <dl className="stats">
                <div>
                  <dt>Users</dt>
                  <dd>{s.users}</dd>
                </div>
                <div>
                  <dt>Applications</dt>
                  <dd>{s.clients}</dd>
                </div>
                <div>
                  <dt>Active sessions</dt>
                  <dd>{s.activeSessions}</dd>
                </div>
                <div>
                  <dt>Tokens, last 24 h</dt>
                  <dd>{tokens}</dd>
                </div>
              </dl>
              {s.hourly && (
                <div className="charts">
                  <BarChart
                    title="Sign-ins per hour, last 24 h"
                    bars={s.hourly.map((h) => ({ label: hourLabel(h.hour), value: h.signIns }))}
                  />
                  <BarChart
                    title="Tokens issued per hour, last 24 h"
                    bars={s.hourly.map((h) => ({ label: hourLabel(h.hour), value: h.tokens }))}
                  />
                </div>
              )}
              <p className="sub">
                By grant:{' '}
                {Object.entries(s.tokensIssuedLast24h)
                  .map(([grant, n]) => `${grant} ${n}`)
                  .join(' · ')}
                {tenant.data && ` · created ${formatDateTime(tenant.data.createdAt)}`}
              </p>
            </>
          );
        }}
      </QueryView>
      {principal.isOperator && <DependencyHealth />}
    </>
  );
}
