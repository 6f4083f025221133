import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, useApiMutation, usePage, useTenantSlug } from '../../api/hooks';
import type { Role } from '../../api/types';
import { can } from '../../auth/principal';
import { ConfirmDialog } from '../../components/Dialog';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, QueryView } from '../../components/States';
import { ApiError } from '../../api/http';
import { effectivePermissions, roleTree } from './role-tree';
import { RoleForm } from './RoleForm';
import { RoleTreeView } from './RoleTreeView';

export function RoleDetailScreen() {
  const slug = useTenantSlug();
  const { id = '' } = useParams();
  const principal = usePrincipal();
  const navigate = useNavigate();
  const roles = usePage<Role>(tenantPath(slug, '/roles'));
  const path = tenantPath(slug, `/roles/${id}`);
  const remove = useApiMutation('DELETE', path);
  const [deleting, setDeleting] = useState(false);
  const mayWrite = can(principal, 'roles:write');
  return (
    <QueryView query={roles}>
      {(page) => {
        const role = page.items.find((r) => r.id === id);
        if (!role) return <ErrorState error={new ApiError(404, 'not_found', 'role not found')} />;
        const effective = effectivePermissions(role.name, page.items);
        return (
          <>
            <PageHeader
              title={`Role “${role.name}”`}
              description={role.description}
              actions={
                mayWrite && (
                  <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
                    Delete
                  </button>
                )
              }
            />
            <div className="two-columns">
              <section className="card" aria-labelledby="role-edit">
                <h2 id="role-edit">{mayWrite ? 'Edit' : 'Definition'}</h2>
                <RoleForm
                  key={role.id + role.permissions.join() + role.includes.join()}
                  role={role}
                  roles={page.items}
                  path={path}
                  readOnly={!mayWrite}
                  onSaved={() => undefined}
                />
              </section>
              <div>
                <section className="card" aria-labelledby="role-includes">
                  <h2 id="role-includes">Includes</h2>
                  <ul className="tree">
                    <RoleTreeView node={roleTree(role.name, page.items)} slug={slug} roles={page.items} />
                  </ul>
                </section>
                <section className="card" aria-labelledby="role-effective">
                  <h2 id="role-effective">Effective permissions</h2>
                  {effective.length === 0 ? (
                    <EmptyState title="No permissions" />
                  ) : (
                    <ul className="permission-list">
                      {effective.map(({ permission, from }) => (
                        <li key={permission}>
                          <code>{permission}</code>
                          {from !== role.name && <span className="sub"> from {from}</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              </div>
            </div>
            <ConfirmDialog
              open={deleting}
              title={`Delete role “${role.name}”?`}
              message={
                <p>
                  Users and clients holding it lose its permissions with their next token; roles including it stop doing
                  so.
                </p>
              }
              confirmLabel="Delete role"
              onConfirm={async () => {
                await remove.mutateAsync();
                navigate(`/t/${slug}/roles`, { replace: true });
              }}
              onClose={() => setDeleting(false)}
            />
          </>
        );
      }}
    </QueryView>
  );
}
