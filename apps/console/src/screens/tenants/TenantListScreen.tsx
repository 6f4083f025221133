import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { useApiMutation, usePage } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { Tenant } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { EmptyState, QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { fieldErrors } from '../../lib/field-errors';

interface NewTenant {
  slug: string;
  displayName: string;
}

function CreateTenantDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const form = useForm<NewTenant>({ defaultValues: { slug: '', displayName: '' } });
  const create = useApiMutation<NewTenant, Tenant>('POST', '/tenants', (body) => body);
  const errors = create.error instanceof ApiError ? fieldErrors(create.error.message, ['slug', 'displayName']) : null;
  const submit = form.handleSubmit((values) =>
    create.mutate(values, {
      onSuccess: (tenant) => {
        onClose();
        navigate(`/t/${tenant.slug}`);
      },
    }),
  );
  return (
    <Dialog open={open} title="Create a tenant" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label="Slug"
          hint="Lowercase letters, digits and dashes; the issuer becomes {PUBLIC_URL}/t/{slug}."
          error={form.formState.errors.slug?.message ?? errors?.fields.slug}
          autoComplete="off"
          {...form.register('slug', { required: 'A slug is required.' })}
        />
        <Field
          label="Display name"
          error={form.formState.errors.displayName?.message ?? errors?.fields.displayName}
          {...form.register('displayName', { required: 'A display name is required.' })}
        />
        <FormError message={errors?.general ?? (create.error && !errors ? create.error.message : null)} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            Create tenant
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function TenantListScreen() {
  const principal = usePrincipal();
  const pager = useCursorPager();
  const tenants = usePage<Tenant>('/tenants', { cursor: pager.cursor, limit: 20 });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  const remove = useApiMutation<string>('DELETE', (slug) => `/tenants/${slug}`);
  const mayWrite = principal.isOperator && can(principal, 'tenants:write');
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant is an issuer of its own, with its users, applications and keys."
        actions={
          mayWrite && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create tenant
            </button>
          )
        }
      />
      <QueryView query={tenants}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No tenants yet" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Tenants</caption>
                <thead>
                  <tr>
                    <th scope="col">Tenant</th>
                    <th scope="col">Issuer</th>
                    <th scope="col">Created</th>
                    {mayWrite && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((tenant) => (
                    <tr key={tenant.id}>
                      <td>
                        <Link to={`/t/${tenant.slug}`}>{tenant.displayName}</Link>
                        <span className="sub">{tenant.slug}</span>
                      </td>
                      <td className="mono">{tenant.issuer}</td>
                      <td>{formatDateTime(tenant.createdAt)}</td>
                      {mayWrite && (
                        <td>
                          {tenant.slug !== 'system' && (
                            <button
                              type="button"
                              className="btn btn-small btn-danger-ghost"
                              onClick={() => setDeleting(tenant)}
                            >
                              Delete<span className="visually-hidden"> {tenant.slug}</span>
                            </button>
                          )}
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
      <Pager pager={pager} nextCursor={tenants.data?.nextCursor} />
      <CreateTenantDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={!!deleting}
        title={`Delete tenant “${deleting?.slug}”?`}
        message={
          <p>
            Every user, application, key, session and audit event of this tenant is removed, and its issuer stops
            answering. This cannot be undone.
          </p>
        }
        confirmLabel="Delete tenant"
        onConfirm={() => remove.mutateAsync(deleting!.slug)}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
