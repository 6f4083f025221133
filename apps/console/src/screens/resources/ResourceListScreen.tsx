import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { ApiResource } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { EmptyState, QueryView } from '../../components/States';
import { fieldErrors } from '../../lib/field-errors';

interface Values {
  identifier: string;
  name: string;
  scopes: string;
  accessTokenTtl: string;
}

/** Create (no resource given) or edit one; the identifier is the tokens' audience and never changes. */
function ResourceDialog({
  resource,
  open,
  onClose,
}: {
  resource: ApiResource | null;
  open: boolean;
  onClose: () => void;
}) {
  const slug = useTenantSlug();
  const form = useForm<Values>({
    values: {
      identifier: resource?.identifier ?? '',
      name: resource?.name ?? '',
      scopes: resource?.scopes.join(' ') ?? '',
      accessTokenTtl: resource?.accessTokenTtl ? String(resource.accessTokenTtl) : '',
    },
  });
  const save = useApiMutation<Values>(
    resource ? 'PATCH' : 'POST',
    tenantPath(slug, resource ? `/resources/${resource.id}` : '/resources'),
    (v) => ({
      ...(resource ? {} : { identifier: v.identifier.trim() }),
      name: v.name,
      scopes: v.scopes.split(/[\s,]+/).filter(Boolean),
      ...(v.accessTokenTtl ? { accessTokenTtl: Number(v.accessTokenTtl) } : resource ? { accessTokenTtl: null } : {}),
    }),
  );
  const close = () => {
    save.reset();
    onClose();
  };
  const errors =
    save.error instanceof ApiError
      ? fieldErrors(save.error.message, ['identifier', 'name', 'scopes', 'accessTokenTtl'], { scope: 'scopes' })
      : null;
  return (
    <Dialog open={open} title={resource ? `Edit “${resource.name}”` : 'Create an API resource'} onClose={close}>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v, { onSuccess: close }))} noValidate>
        <Field
          label="Identifier"
          hint="An absolute URI, e.g. https://api.example.com: the audience (aud) of its access tokens."
          readOnly={!!resource}
          error={errors?.fields.identifier}
          {...form.register('identifier')}
        />
        <Field label="Name" error={errors?.fields.name} {...form.register('name')} />
        <Field
          label="Scopes"
          hint="Space-separated, e.g. read write."
          error={errors?.fields.scopes}
          {...form.register('scopes')}
        />
        <Field
          label="Access token lifetime (seconds)"
          hint="Empty = the tenant's default."
          type="number"
          inputMode="numeric"
          error={errors?.fields.accessTokenTtl}
          {...form.register('accessTokenTtl')}
        />
        <FormError message={errors?.general} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {resource ? 'Save changes' : 'Create resource'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function ResourceListScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const pager = useCursorPager();
  const resources = usePage<ApiResource>(tenantPath(slug, '/resources'), { cursor: pager.cursor, limit: 50 });
  const [editing, setEditing] = useState<ApiResource | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ApiResource | null>(null);
  const remove = useApiMutation<string>('DELETE', (id) => tenantPath(slug, `/resources/${id}`));
  const mayWrite = can(principal, 'clients:write');
  return (
    <>
      <PageHeader
        title="API resources"
        description="Your APIs: clients ask for tokens with resource= their identifier and get JWTs with aud set to it."
        actions={
          mayWrite && (
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
              Create API resource
            </button>
          )
        }
      />
      <QueryView query={resources}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No API resources yet">
              <p>The admin API is built in; add your own APIs here.</p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">API resources</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Identifier</th>
                    <th scope="col">Scopes</th>
                    {mayWrite && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((r) => (
                    <tr key={r.id}>
                      <td>{r.name}</td>
                      <td className="mono">{r.identifier}</td>
                      <td>
                        <ul className="chips">
                          {r.scopes.map((s) => (
                            <li key={s}>{s}</li>
                          ))}
                        </ul>
                      </td>
                      {mayWrite && (
                        <td className="row-actions">
                          <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>
                            Edit<span className="visually-hidden"> {r.name}</span>
                          </button>
                          <button
                            type="button"
                            className="btn btn-small btn-danger-ghost"
                            onClick={() => setDeleting(r)}
                          >
                            Delete<span className="visually-hidden"> {r.name}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Pager pager={pager} nextCursor={resources.data?.nextCursor} />
      <ResourceDialog
        open={editing !== null}
        resource={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={!!deleting}
        title={`Delete “${deleting?.name}”?`}
        message={<p>Clients can no longer get tokens for it; tokens already issued stay valid until they expire.</p>}
        confirmLabel="Delete resource"
        onConfirm={() => remove.mutateAsync(deleting!.id)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
