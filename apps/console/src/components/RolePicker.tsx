import { useEffect, useState } from 'react';
import { tenantPath, useApiMutation, usePage, useResource } from '../api/hooks';
import type { Role } from '../api/types';
import { describeError, QueryView } from './States';

/**
 * The roles held by a user or a service client (PUT …/roles replaces them all). Without
 * roles:write the choices are shown but cannot change.
 */
export function RolePicker({ slug, owner, canWrite }: { slug: string; owner: string; canWrite: boolean }) {
  const path = tenantPath(slug, `${owner}/roles`);
  const assigned = useResource<{ roles: string[] }>(path);
  const roles = usePage<Role>(tenantPath(slug, '/roles'));
  const [chosen, setChosen] = useState<string[]>([]);
  const save = useApiMutation<string[]>('PUT', path, (names) => ({ roles: names }));
  useEffect(() => {
    if (assigned.data) setChosen(assigned.data.roles);
  }, [assigned.data]);
  const dirty = JSON.stringify([...chosen].sort()) !== JSON.stringify([...(assigned.data?.roles ?? [])].sort());
  return (
    <QueryView query={roles}>
      {(page) => (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(chosen);
          }}
        >
          <fieldset className="checkbox-list" disabled={!canWrite}>
            <legend className="visually-hidden">Roles</legend>
            {page.items.map((role) => (
              <label key={role.id}>
                <input
                  type="checkbox"
                  checked={chosen.includes(role.name)}
                  onChange={(event) =>
                    setChosen((current) =>
                      event.target.checked ? [...current, role.name] : current.filter((n) => n !== role.name),
                    )
                  }
                />
                {role.name}
                {role.description && <span className="sub">{role.description}</span>}
              </label>
            ))}
          </fieldset>
          {save.error && (
            <p className="alert alert-error" role="alert">
              {describeError(save.error).message}
            </p>
          )}
          {save.isSuccess && !dirty && (
            <p className="alert alert-success" role="status">
              Roles saved. They apply to the next token.
            </p>
          )}
          {canWrite && (
            <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending}>
              Save roles
            </button>
          )}
        </form>
      )}
    </QueryView>
  );
}
