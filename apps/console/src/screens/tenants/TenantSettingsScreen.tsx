import { useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, useResource, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { Tenant } from '../../api/types';
import { can } from '../../auth/principal';
import { Field, FormError } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/States';
import { fieldErrors } from '../../lib/field-errors';
import { SETTING_GROUPS, SETTING_PATHS, toFormValues, toSettingsBody } from './settings-fields';

type Values = Record<string, unknown>;

function SettingsForm({ tenant, readOnly }: { tenant: Tenant; readOnly: boolean }) {
  const form = useForm<Values>({
    defaultValues: { displayName: tenant.displayName, ...toFormValues({ ...tenant.settings }) },
  });
  const save = useApiMutation<Values, Tenant>('PATCH', tenantPath(tenant.slug), (values) => ({
    displayName: values.displayName,
    settings: toSettingsBody(values),
  }));
  useEffect(() => {
    if (save.data) form.reset({ displayName: save.data.displayName, ...toFormValues({ ...save.data.settings }) });
  }, [save.data, form]);
  const errors =
    save.error instanceof ApiError
      ? fieldErrors(save.error.message, ['displayName', ...SETTING_PATHS], { 'CORS origin': 'corsOrigins' })
      : null;
  // After a refusal, focus goes to the first field the API named, so it is read out and fixable.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (save.error) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [save.error]);
  return (
    <form
      ref={formRef}
      onSubmit={form.handleSubmit((values) => save.mutate(values))}
      noValidate
      className="settings-form"
    >
      <fieldset disabled={readOnly}>
        <legend className="visually-hidden">Tenant settings</legend>
        <section className="card">
          <h2>General</h2>
          <Field label="Display name" error={errors?.fields.displayName} {...form.register('displayName')} />
        </section>
        {SETTING_GROUPS.map((group) => (
          <section className="card" key={group.title}>
            <h2>{group.title}</h2>
            <div className="field-grid">
              {group.fields.map((field) => {
                const error = errors?.fields[field.path];
                if (field.kind === 'boolean')
                  return (
                    <Field
                      key={field.path}
                      type="checkbox"
                      label={field.label}
                      error={error}
                      {...form.register(field.path)}
                    />
                  );
                if (field.kind === 'number')
                  return (
                    <Field
                      key={field.path}
                      type="number"
                      inputMode="numeric"
                      label={field.label}
                      hint={field.hint}
                      error={error}
                      {...form.register(field.path, { valueAsNumber: true })}
                    />
                  );
                return (
                  <Field key={field.path} label={field.label} hint={field.hint} error={error}>
                    {({ id, describedBy, invalid }) =>
                      field.kind === 'choice' ? (
                        <select
                          id={id}
                          aria-describedby={describedBy}
                          aria-invalid={invalid || undefined}
                          {...form.register(field.path)}
                        >
                          {field.choices!.map((choice) => (
                            <option key={choice}>{choice}</option>
                          ))}
                        </select>
                      ) : (
                        <textarea
                          id={id}
                          rows={3}
                          aria-describedby={describedBy}
                          aria-invalid={invalid || undefined}
                          {...form.register(field.path)}
                        />
                      )
                    }
                  </Field>
                );
              })}
            </div>
          </section>
        ))}
      </fieldset>
      <FormError
        message={
          errors
            ? errors.general
              ? `The API refused: ${errors.general}`
              : 'The API refused some settings: see the fields marked above.'
            : save.error?.message
        }
      />
      {save.isSuccess && !form.formState.isDirty && (
        <p className="alert alert-success" role="status">
          Saved. Every instance uses the new settings now.
        </p>
      )}
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => form.reset()} disabled={!form.formState.isDirty}>
            Discard changes
          </button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      )}
    </form>
  );
}

export function TenantSettingsScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const tenant = useResource<Tenant>(tenantPath(slug));
  return (
    <>
      <PageHeader
        title="Settings"
        description="Token lifetimes, password and session policy, limits. Changes apply at once."
      />
      <QueryView query={tenant}>
        {(t) => <SettingsForm key={t.id} tenant={t} readOnly={!can(principal, 'tenants:write')} />}
      </QueryView>
    </>
  );
}
