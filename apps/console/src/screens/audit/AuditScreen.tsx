import { type FormEvent, useState } from 'react';
import { useApi } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import type { AuditEvent, AuditVerification } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { describeError, EmptyState, QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { AuditEventDetail } from './AuditEventDetail';

const FILTERS = ['type', 'actor', 'subject', 'since', 'until'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The filter form's local date-times as the ISO instants the API takes. */
function apiFilters(filters: Filters): Filters {
  const out: Filters = { ...filters };
  for (const key of ['since', 'until'] as const) if (filters[key]) out[key] = new Date(filters[key]!).toISOString();
  return out;
}

function VerifyChain({ slug }: { slug: string }) {
  const verify = useApiMutation<void, AuditVerification>('GET', tenantPath(slug, '/audit-events/verify'));
  const result = verify.data;
  return (
    <div className="verify">
      <button type="button" className="btn" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : 'Verify chain'}
      </button>
      <span role="status" className="verify-result">
        {result &&
          (result.valid ? (
            <StatusBadge tone="ok">Chain intact: {result.count} events verified</StatusBadge>
          ) : (
            <StatusBadge tone="bad">
              Chain broken at event {result.firstBadSeq} ({result.reason}) after {result.count} events
            </StatusBadge>
          ))}
        {verify.error && describeError(verify.error).message}
      </span>
    </div>
  );
}

export function AuditScreen() {
  const slug = useTenantSlug();
  const api = useApi();
  const pager = useCursorPager();
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const events = usePage<AuditEvent>(tenantPath(slug, '/audit-events'), {
    ...apiFilters(filters),
    cursor: pager.cursor,
    limit: 50,
  });
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    pager.reset();
    setFilters(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
  };
  const download = async () => {
    setExportError(null);
    try {
      const blob = await api.blob(tenantPath(slug, '/audit-events/export'), apiFilters(filters));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `audit-${slug}.ndjson`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      setExportError(describeError(error).message);
    }
  };
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every sign-in, token and admin change, newest first, in a tamper-evident hash chain."
        actions={
          <>
            <VerifyChain slug={slug} />
            <button type="button" className="btn" onClick={() => void download()}>
              Export NDJSON
            </button>
          </>
        }
      />
      {exportError && (
        <p className="alert alert-error" role="alert">
          {exportError}
        </p>
      )}
      <form className="filters" onSubmit={apply} aria-label="Filter events">
        {FILTERS.map((name) => (
          <div className="field" key={name}>
            <label htmlFor={`filter-${name}`}>
              {name === 'type' ? 'Event type' : name[0].toUpperCase() + name.slice(1)}
            </label>
            <input
              id={`filter-${name}`}
              type={name === 'since' || name === 'until' ? 'datetime-local' : 'text'}
              placeholder={name === 'type' ? 'login.failure' : undefined}
              value={draft[name] ?? ''}
              onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))}
            />
          </div>
        ))}
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
      </form>
      <QueryView query={events}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No events match" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Audit events</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={e.id}>
                      <td>{formatDateTime(e.occurredAt)}</td>
                      <td>
                        <button type="button" className="link-button" onClick={() => setOpen(e)}>
                          {e.type}
                        </button>
                      </td>
                      <td className="mono">{e.actor.id ?? e.actor.type}</td>
                      <td className="mono">{e.subject ?? '—'}</td>
                      <td>
                        {e.outcome === 'success' ? (
                          <StatusBadge tone="ok">success</StatusBadge>
                        ) : (
                          <StatusBadge tone="bad">failure</StatusBadge>
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
      <Pager pager={pager} nextCursor={events.data?.nextCursor} />
      <Dialog open={!!open} title={open?.type ?? ''} onClose={() => setOpen(null)}>
        {open && <AuditEventDetail event={open} />}
      </Dialog>
    </>
  );
}
