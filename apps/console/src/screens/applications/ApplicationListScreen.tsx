import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import { type Application, APPLICATION_TYPES, type ApplicationType } from '../../api/types';
import { can } from '../../auth/principal';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { SecretReveal } from '../../components/Secret';
import { EmptyState, QueryView } from '../../components/States';
import { fieldErrors } from '../../lib/field-errors';
import { lines } from '../../lib/format';
import { CONSOLE_CLIENT_ID } from '../../lib/locations';
import { TYPE_GUIDANCE } from './quick-start';

interface NewApplication {
  name: string;
  applicationType: ApplicationType;
  redirectUris: string;
  postLogoutRedirectUris: string;
  firstParty: boolean;
}

function CreateApplicationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const slug = useTenantSlug();
  const form = useForm<NewApplication>({
    defaultValues: {
      name: '',
      applicationType: 'web',
      redirectUris: '',
      postLogoutRedirectUris: '',
      firstParty: false,
    },
  });
  const create = useApiMutation<NewApplication, Application>('POST', tenantPath(slug, '/clients'), (v) => ({
    name: v.name,
    applicationType: v.applicationType,
    ...(v.applicationType === 'service'
      ? {}
      : { redirectUris: lines(v.redirectUris), postLogoutRedirectUris: lines(v.postLogoutRedirectUris) }),
    firstParty: v.firstParty,
  }));
  const type = form.watch('applicationType');
  const close = () => {
    create.reset();
    form.reset();
    onClose();
  };
  const errors =
    create.error instanceof ApiError
      ? fieldErrors(create.error.message, ['name', 'applicationType', 'redirectUris', 'postLogoutRedirectUris'], {
          'redirect URI': 'redirectUris',
        })
      : null;
  const created = create.data;
  return (
    <Dialog open={open} title={created ? `“${created.name}” is created` : 'Create an application'} onClose={close}>
      {created ? (
        <>
          <p>
            Client ID: <code>{created.clientId}</code>
          </p>
          {created.clientSecret && <SecretReveal label="Client secret" secret={created.clientSecret} />}
          <div className="form-actions">
            <Link className="btn btn-primary" to={`/t/${slug}/applications/${created.clientId}`} onClick={close}>
              Open the application
            </Link>
          </div>
        </>
      ) : (
        <form onSubmit={form.handleSubmit((values) => create.mutate(values))} noValidate>
          <Field
            label="Name"
            error={form.formState.errors.name?.message ?? errors?.fields.name}
            {...form.register('name', { required: 'A name is required.' })}
          />
          <fieldset className="type-choice">
            <legend>Type</legend>
            {APPLICATION_TYPES.map((value) => (
              <label key={value} className={`type-option${type === value ? ' selected' : ''}`}>
                <input type="radio" value={value} {...form.register('applicationType')} />
                <span>
                  <strong>{TYPE_GUIDANCE[value].title}</strong>
                  <span className="sub">{TYPE_GUIDANCE[value].text}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {type !== 'service' && (
            <>
              <Field
                label="Redirect URIs"
                hint="One per line; matched exactly. https, or http only for localhost."
                error={errors?.fields.redirectUris}
              >
                {({ id, describedBy, invalid }) => (
                  <textarea
                    id={id}
                    rows={2}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    {...form.register('redirectUris')}
                  />
                )}
              </Field>
              <Field
                label="Post-logout redirect URIs"
                hint="Optional, one per line."
                error={errors?.fields.postLogoutRedirectUris}
              >
                {({ id, describedBy, invalid }) => (
                  <textarea
                    id={id}
                    rows={2}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    {...form.register('postLogoutRedirectUris')}
                  />
                )}
              </Field>
              <Field type="checkbox" label="First party (skip the consent page)" {...form.register('firstParty')} />
            </>
          )}
          <FormError message={errors?.general} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              Create application
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

export function ApplicationListScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const pager = useCursorPager();
  const apps = usePage<Application>(tenantPath(slug, '/clients'), { cursor: pager.cursor, limit: 20 });
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Applications"
        description="The clients that sign users in or call APIs with this tenant's tokens."
        actions={
          can(principal, 'clients:write') && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create application
            </button>
          )
        }
      />
      <QueryView query={apps}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No applications yet" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Applications</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Client ID</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((app) => (
                    <tr key={app.id}>
                      <td>
                        <Link to={`/t/${slug}/applications/${encodeURIComponent(app.clientId)}`}>{app.name}</Link>
                        {app.clientId === CONSOLE_CLIENT_ID && <StatusBadge tone="muted">built in</StatusBadge>}
                      </td>
                      <td>{TYPE_GUIDANCE[app.applicationType].title}</td>
                      <td className="mono">{app.clientId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Pager pager={pager} nextCursor={apps.data?.nextCursor} />
      <CreateApplicationDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
