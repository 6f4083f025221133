import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePrincipal } from '../../app/console-context';
import { tenantPath, usePage, useTenantSlug } from '../../api/hooks';
import type { Role } from '../../api/types';
import { can } from '../../auth/principal';
import { Dialog } from '../../components/Dialog';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { RoleForm } from './RoleForm';
import { roleTree, topRoles } from './role-tree';
import { RoleTreeView } from './RoleTreeView';

export function RoleListScreen() {
  const slug = useTenantSlug();
  const principal = usePrincipal();
  const navigate = useNavigate();
  const roles = usePage<Role>(tenantPath(slug, '/roles'));
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Roles"
        description="Roles carry permissions; a role includes other roles and gets theirs too."
        actions={
          can(principal, 'roles:write') && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create role
            </button>
          )
        }
      />
      <QueryView query={roles}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No roles" />
          ) : (
            <div className="two-columns">
              <div className="table-wrap">
                <table className="data">
                  <caption className="visually-hidden">Roles</caption>
                  <thead>
                    <tr>
                      <th scope="col">Role</th>
                      <th scope="col">Own permissions</th>
                      <th scope="col">Includes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((role) => (
                      <tr key={role.id}>
                        <td>
                          <Link to={`/t/${slug}/roles/${role.id}`}>{role.name}</Link>
                          {role.description && <span className="sub">{role.description}</span>}
                        </td>
                        <td>{role.permissions.length}</td>
                        <td>{role.includes.join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <section className="card" aria-labelledby="role-tree">
                <h2 id="role-tree">Composition</h2>
                <ul className="tree">
                  {topRoles(page.items).map((name) => (
                    <RoleTreeView key={name} node={roleTree(name, page.items)} slug={slug} roles={page.items} />
                  ))}
                </ul>
              </section>
            </div>
          )
        }
      </QueryView>
      <Dialog open={creating} title="Create a role" onClose={() => setCreating(false)}>
        <RoleForm
          roles={roles.data?.items ?? []}
          path={tenantPath(slug, '/roles')}
          onCancel={() => setCreating(false)}
          onSaved={(role) => {
            setCreating(false);
            navigate(`/t/${slug}/roles/${role.id}`);
          }}
        />
      </Dialog>
    </>
  );
}
