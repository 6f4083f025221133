import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, useResource, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { User } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { RolePicker } from '../../components/RolePicker';
import { QueryView } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { UserSessions } from './UserSessions';

type Action = 'disable' | 'enable' | 'reset-mfa' | 'unlock' | 'delete';

function PasswordDialog({ path, open, onClose }: { path: string; open: boolean; onClose: () => void }) {
  const form = useForm<{ password: string }>({ defaultValues: { password: '' } });
  const reset = useApiMutation<{ password: string }>('POST', `${path}/password`, (v) => v);
  const close = () => {
    reset.reset();
    form.reset();
    onClose();
  };
  const error = reset.error instanceof ApiError ? reset.error.message : reset.error?.message;
  return (
    <Dialog open={open} title="Reset the password" onClose={close}>
      {reset.isSuccess ? (
        <>
          <p role="status">The password is changed and every session of the user has ended.</p>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={form.handleSubmit((v) => reset.mutate(v))} noValidate>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="The tenant's password policy applies. The user's sessions end."
            error={error ?? undefined}
            {...form.register('password')}
          />
          <div className="form-actions">
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={reset.isPending}>
              Set password
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

const CONFIRM: Record<Action, { title: string; message: string; label: string }> = {
  disable: {
    title: 'Disable this user?',
    message: 'They cannot sign in, and every session of theirs ends now.',
    label: 'Disable user',
  },
  enable: { title: 'Enable this user?', message: 'They can sign in again.', label: 'Enable user' },
  'reset-mfa': {
    title: 'Reset the second factor?',
    message:
      'Their authenticator and recovery codes are removed; they enrol again at the next sign-in if the tenant requires it.',
    label: 'Reset second factor',
  },
  unlock: {
    title: 'Unlock this user?',
    message: 'Their wrong-password and wrong-code counters are cleared, so they can try to sign in at once.',
    label: 'Unlock',
  },
  delete: {
    title: 'Delete this user?',
    message: 'The account, its sessions and role assignments are removed. This cannot be undone.',
    label: 'Delete user',
  },
};

export function UserDetailScreen() {
  const slug = useTenantSlug();
  const { id = '' } = useParams();
  const principal = usePrincipal();
  const navigate = useNavigate();
  const path = tenantPath(slug, `/users/${encodeURIComponent(id)}`);
  const user = useResource<User>(path);
  const [action, setAction] = useState<Action | null>(null);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const patch = useApiMutation<Partial<User>>('PATCH', path, (v) => v);
  const del = useApiMutation<string>('DELETE', (suffix) => `${path}${suffix}`);
  const form = useForm<{ email: string; emailVerified: boolean }>({
    values: { email: user.data?.email ?? '', emailVerified: user.data?.emailVerified ?? false },
  });
  const mayWrite = can(principal, 'users:write');
  const run = async (which: Action) => {
    if (which === 'disable' || which === 'enable') return patch.mutateAsync({ disabled: which === 'disable' });
    if (which === 'reset-mfa') return del.mutateAsync('/mfa');
    if (which === 'unlock') return del.mutateAsync('/lockout');
    await del.mutateAsync('');
    navigate(`/t/${slug}/users`, { replace: true });
  };
  return (
    <QueryView query={user}>
      {(u) => (
        <>
          <PageHeader
            title={u.username}
            description={
              <>
                {u.disabled ? (
                  <StatusBadge tone="bad">disabled</StatusBadge>
                ) : (
                  <StatusBadge tone="ok">active</StatusBadge>
                )}{' '}
                created {formatDateTime(u.createdAt)}
              </>
            }
            actions={
              mayWrite && (
                <>
                  <button type="button" className="btn" onClick={() => setAction(u.disabled ? 'enable' : 'disable')}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                  <button type="button" className="btn" onClick={() => setPasswordOpen(true)}>
                    Reset password
                  </button>
                  <button type="button" className="btn" onClick={() => setAction('reset-mfa')}>
                    Reset second factor
                  </button>
                  <button type="button" className="btn" onClick={() => setAction('unlock')}>
                    Unlock
                  </button>
                  <button type="button" className="btn btn-danger" onClick={() => setAction('delete')}>
                    Delete
                  </button>
                </>
              )
            }
          />
          <section className="card" aria-labelledby="profile">
            <h2 id="profile">Profile</h2>
            <form
              onSubmit={form.handleSubmit((v) =>
                patch.mutate({ email: v.email || undefined, emailVerified: v.emailVerified }),
              )}
              noValidate
            >
              <fieldset disabled={!mayWrite}>
                <legend className="visually-hidden">Profile</legend>
                <Field
                  label="Email"
                  type="email"
                  error={patch.error instanceof ApiError ? patch.error.message : undefined}
                  {...form.register('email')}
                />
                <Field type="checkbox" label="Email address is verified" {...form.register('emailVerified')} />
              </fieldset>
              {mayWrite && (
                <button type="submit" className="btn btn-primary" disabled={patch.isPending || !form.formState.isDirty}>
                  Save profile
                </button>
              )}
              <FormError message={patch.error && !(patch.error instanceof ApiError) ? patch.error.message : null} />
            </form>
          </section>
          {can(principal, 'roles:read') && (
            <section className="card" aria-labelledby="user-roles">
              <h2 id="user-roles">Roles</h2>
              <RolePicker
                slug={slug}
                owner={`/users/${encodeURIComponent(u.id)}`}
                canWrite={can(principal, 'roles:write')}
              />
            </section>
          )}
          {can(principal, 'sessions:read') && (
            <section className="card" aria-labelledby="user-sessions">
              <h2 id="user-sessions">Sessions</h2>
              <UserSessions slug={slug} userId={u.id} canWrite={can(principal, 'sessions:write')} />
            </section>
          )}
          <PasswordDialog path={path} open={passwordOpen} onClose={() => setPasswordOpen(false)} />
          <ConfirmDialog
            open={action !== null}
            title={action ? CONFIRM[action].title : ''}
            message={<p>{action && CONFIRM[action].message}</p>}
            confirmLabel={action ? CONFIRM[action].label : ''}
            onConfirm={() => run(action!)}
            onClose={() => setAction(null)}
          />
        </>
      )}
    </QueryView>
  );
}
