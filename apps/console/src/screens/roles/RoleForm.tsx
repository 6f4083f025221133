import { useForm } from 'react-hook-form';
import { ApiError } from '../../api/http';
import { useApiMutation } from '../../api/hooks';
import type { Role } from '../../api/types';
import { Field, FormError } from '../../components/Field';
import { fieldErrors } from '../../lib/field-errors';

interface Values {
  name: string;
  description: string;
  permissions: string;
  includes: string[];
}

/** Create (no role) or edit a role; a role's name is its identity in tokens and never changes. */
export function RoleForm({
  role,
  roles,
  path,
  readOnly,
  onSaved,
  onCancel,
}: {
  role?: Role;
  roles: Role[];
  path: string;
  readOnly?: boolean;
  onSaved: (role: Role) => void;
  onCancel?: () => void;
}) {
  const form = useForm<Values>({
    defaultValues: {
      name: role?.name ?? '',
      description: role?.description ?? '',
      permissions: role?.permissions.join('\n') ?? '',
      includes: role?.includes ?? [],
    },
  });
  const save = useApiMutation<Values, Role>(role ? 'PATCH' : 'POST', path, (v) => ({
    ...(role ? {} : { name: v.name.trim() }),
    description: v.description,
    permissions: v.permissions.split(/[\s,]+/).filter(Boolean),
    includes: v.includes,
  }));
  const errors =
    save.error instanceof ApiError
      ? fieldErrors(save.error.message, ['name', 'description', 'permissions', 'includes'], {
          permission: 'permissions',
          'included role': 'includes',
          'role include': 'includes',
        })
      : null;
  return (
    <form onSubmit={form.handleSubmit((v) => save.mutate(v, { onSuccess: onSaved }))} noValidate>
      <fieldset disabled={readOnly}>
        <legend className="visually-hidden">Role</legend>
        {!role && (
          <Field
            label="Name"
            hint="a-z, 0-9 and _.:- — it appears in tokens' roles claim."
            error={form.formState.errors.name?.message ?? errors?.fields.name}
            {...form.register('name', { required: 'A name is required.' })}
          />
        )}
        <Field label="Description" error={errors?.fields.description} {...form.register('description')} />
        <Field
          label="Permissions"
          hint="One per line, resource:action (users:read, orders:write)."
          error={errors?.fields.permissions}
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={5}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              {...form.register('permissions')}
            />
          )}
        </Field>
        <fieldset className="checkbox-list">
          <legend>Includes (its permissions come along)</legend>
          {roles
            .filter((r) => r.name !== role?.name)
            .map((r) => (
              <label key={r.id}>
                <input type="checkbox" value={r.name} {...form.register('includes')} />
                {r.name}
              </label>
            ))}
          {errors?.fields.includes && <p className="field-error">{errors.fields.includes}</p>}
        </fieldset>
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
            {role ? 'Save changes' : 'Create role'}
          </button>
        </div>
      )}
    </form>
  );
}
