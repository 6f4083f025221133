import { type FormEvent, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import { ApiError } from '../../api/http';
import type { User } from '../../api/types';
import { can } from '../../auth/principal';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { PageHeader, StatusBadge } from '../../components/PageHeader';
import { Pager, useCursorPager } from '../../components/Pager';
import { EmptyState, QueryView } from '../../components/States';
import { fieldErrors } from '../../lib/field-errors';
import { formatDateTime } from '../../lib/format';

interface NewUser {
  username: string;
  email: string;
  password: string;
  emailVerified: boolean;
}

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const slug = useTenantSlug();
  const navigate = useNavigate();
  const form = useForm<NewUser>({ defaultValues: { username: '', email: '', password: '', emailVerified: false } });
  const create = useApiMutation<NewUser, User>('POST', tenantPath(slug, '/users'), (v) => ({
    username: v.username.trim(),
    ...(v.email ? { email: v.email.trim() } : {}),
    ...(v.password ? { password: v.password } : {}),
    emailVerified: v.emailVerified,
  }));
  const errors =
    create.error instanceof ApiError ? fieldErrors(create.error.message, ['username', 'email', 'password']) : null;
  return (
    <Dialog open={open} title="Create a user" onClose={onClose}>
      <form
        onSubmit={form.handleSubmit((v) =>
          create.mutate(v, { onSuccess: (user) => navigate(`/t/${slug}/users/${user.id}`) }),
        )}
        noValidate
      >
        <Field
          label="Username"
          autoComplete="off"
          error={form.formState.errors.username?.message ?? errors?.fields.username}
          {...form.register('username', { required: 'A username is required.' })}
        />
        <Field label="Email" type="email" autoComplete="off" error={errors?.fields.email} {...form.register('email')} />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          hint="Optional; the tenant's password policy applies."
          error={errors?.fields.password}
          {...form.register('password')}
        />
        <Field type="checkbox" label="Email address is verified" {...form.register('emailVerified')} />
        <FormError message={errors?.general} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            Create user
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function UserListScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const pager = useCursorPager();
  const [search, setSearch] = useState('');
  const [typed, setTyped] = useState('');
  const users = usePage<User>(tenantPath(slug, '/users'), {
    cursor: pager.cursor,
    limit: 20,
    search: search || undefined,
  });
  const [creating, setCreating] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    pager.reset();
    setSearch(typed.trim());
  };
  return (
    <>
      <PageHeader
        title="Users"
        actions={
          can(principal, 'users:write') && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create user
            </button>
          )
        }
      />
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="user-search">Search users</label>
        <input
          id="user-search"
          type="search"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder="username or email"
        />
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      <QueryView query={users}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={search ? `No user matches “${search}”` : 'No users yet'} />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Email</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((user) => (
                    <tr key={user.id}>
                      <td>
                        <Link to={`/t/${slug}/users/${user.id}`}>{user.username}</Link>
                      </td>
                      <td>
                        {user.email ?? '—'}
                        {user.email && !user.emailVerified && <span className="sub">not verified</span>}
                      </td>
                      <td>
                        {user.disabled ? (
                          <StatusBadge tone="bad">disabled</StatusBadge>
                        ) : (
                          <StatusBadge tone="ok">active</StatusBadge>
                        )}
                      </td>
                      <td>{formatDateTime(user.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <Pager pager={pager} nextCursor={users.data?.nextCursor} />
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
