import { useForm } from 'react-hook-form';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { ApiResource, Application } from '../../api/types';
import { Field, FormError } from '../../components/Field';
import { fieldErrors } from '../../lib/field-errors';
import { lines } from '../../lib/format';

interface Values {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  scopes: string;
  resources: string[];
  firstParty: boolean;
}

const FIELDS = ['name', 'redirectUris', 'postLogoutRedirectUris', 'scopes', 'resources', 'firstParty'];

export function ApplicationForm({
  app,
  path,
  readOnly,
  adminResource,
}: {
  app: Application;
  path: string;
  readOnly: boolean;
  adminResource: string;
}) {
  const slug = useTenantSlug();
  const resources = usePage<ApiResource>(tenantPath(slug, '/resources'));
  const form = useForm<Values>({
    defaultValues: {
      name: app.name,
      redirectUris: app.redirectUris.join('\n'),
      postLogoutRedirectUris: app.postLogoutRedirectUris.join('\n'),
      scopes: app.scopes.join(' '),
      resources: app.resources,
      firstParty: app.firstParty,
    },
  });
  const save = useApiMutation<Values, Application>('PATCH', path, (v) => ({
    name: v.name,
    ...(app.applicationType === 'service'
      ? {}
      : { redirectUris: lines(v.redirectUris), postLogoutRedirectUris: lines(v.postLogoutRedirectUris) }),
    scopes: v.scopes.split(/\s+/).filter(Boolean),
    resources: v.resources,
    firstParty: v.firstParty,
  }));
  const errors =
    save.error instanceof ApiError ? fieldErrors(save.error.message, FIELDS, { 'redirect URI': 'redirectUris' }) : null;
  const options = [
    { identifier: adminResource, name: 'Admin API (built in)' },
    ...(resources.data?.items ?? []).map((r) => ({ identifier: r.identifier, name: r.name })),
  ];
  return (
    <form
      onSubmit={form.handleSubmit((v) => save.mutate(v, { onSuccess: (a) => form.reset({ ...v, name: a.name }) }))}
      noValidate
    >
      <fieldset disabled={readOnly}>
        <legend className="visually-hidden">Application settings</legend>
        <Field label="Name" error={errors?.fields.name} {...form.register('name')} />
        {app.applicationType !== 'service' && (
          <>
            <Field label="Redirect URIs" hint="One per line; matched exactly." error={errors?.fields.redirectUris}>
              {({ id, describedBy, invalid }) => (
                <textarea
                  id={id}
                  rows={3}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  {...form.register('redirectUris')}
                />
              )}
            </Field>
            <Field label="Post-logout redirect URIs" hint="One per line." error={errors?.fields.postLogoutRedirectUris}>
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
          </>
        )}
        <Field
          label="Scopes"
          hint="Space-separated OpenID scopes it may ask for (empty = all standard ones)."
          error={errors?.fields.scopes}
          {...form.register('scopes')}
        />
        <fieldset className="checkbox-list">
          <legend>API resources it may get tokens for (the first is the default)</legend>
          {options.map((option) => (
            <label key={option.identifier}>
              <input type="checkbox" value={option.identifier} {...form.register('resources')} />
              {option.name} <span className="sub mono">{option.identifier}</span>
            </label>
          ))}
          {errors?.fields.resources && <p className="field-error">{errors.fields.resources}</p>}
        </fieldset>
        {app.applicationType !== 'service' && (
          <Field type="checkbox" label="First party (skip the consent page)" {...form.register('firstParty')} />
        )}
      </fieldset>
      <FormError message={errors?.general} />
      {save.isSuccess && !form.formState.isDirty && (
        <p className="alert alert-success" role="status">
          Saved.
        </p>
      )}
      {!readOnly && (
        <button type="submit" className="btn btn-primary" disabled={save.isPending || !form.formState.isDirty}>
          Save changes
        </button>
      )}
    </form>
  );
}
