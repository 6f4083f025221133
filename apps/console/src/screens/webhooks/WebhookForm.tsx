import { useForm } from 'react-hook-form';
import { useApiMutation } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { Webhook } from '../../api/types';
import { Field, FormError } from '../../components/Field';
import { fieldErrors } from '../../lib/field-errors';
import { lines } from '../../lib/format';

interface Values {
  url: string;
  eventTypes: string;
  description: string;
  enabled: boolean;
}

/** Create (no webhook given: the answer holds the secret) or edit an endpoint. */
export function WebhookForm({
  webhook,
  path,
  readOnly,
  onSaved,
  onCancel,
}: {
  webhook?: Webhook;
  path: string;
  readOnly?: boolean;
  onSaved: (webhook: Webhook) => void;
  onCancel?: () => void;
}) {
  const form = useForm<Values>({
    defaultValues: {
      url: webhook?.url ?? '',
      eventTypes: webhook?.eventTypes.join('\n') ?? '*',
      description: webhook?.description ?? '',
      enabled: webhook?.enabled ?? true,
    },
  });
  const save = useApiMutation<Values, Webhook>(webhook ? 'PATCH' : 'POST', path, (v) => ({
    url: v.url.trim(),
    eventTypes: lines(v.eventTypes),
    description: v.description,
    ...(webhook && v.enabled !== webhook.enabled ? { enabled: v.enabled } : {}),
  }));
  const errors =
    save.error instanceof ApiError
      ? fieldErrors(save.error.message, ['url', 'eventTypes', 'description'], { 'event type': 'eventTypes' })
      : null;
  return (
    <form onSubmit={form.handleSubmit((v) => save.mutate(v, { onSuccess: onSaved }))} noValidate>
      <fieldset disabled={readOnly}>
        <legend className="visually-hidden">Webhook endpoint</legend>
        <Field
          label="URL"
          type="url"
          hint="https (http only outside production); no credentials in it."
          error={errors?.fields.url}
          {...form.register('url')}
        />
        <Field
          label="Event types"
          hint="One per line: a type (login.success), a prefix (login.*) or * for all."
          error={errors?.fields.eventTypes}
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              {...form.register('eventTypes')}
            />
          )}
        </Field>
        <Field label="Description" error={errors?.fields.description} {...form.register('description')} />
        {webhook && <Field type="checkbox" label="Enabled" {...form.register('enabled')} />}
      </fieldset>
      <FormError message={errors?.general} />
      {!readOnly && (
        <div className="form-actions">
          {onCancel && (
            <button type="button" className="btn" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {webhook ? 'Save changes' : 'Create endpoint'}
          </button>
        </div>
      )}
    </form>
  );
}
