import { Link } from 'react-router';
import type { Role } from '../../api/types';
import type { RoleTreeNode } from './role-tree';

export function RoleTreeView({ node, slug, roles }: { node: RoleTreeNode; slug: string; roles: Role[] }) {
  const id = roles.find((r) => r.name === node.name)?.id;
  return (
    <li>
      {id && !node.missing ? <Link to={`/t/${slug}/roles/${id}`}>{node.name}</Link> : <span>{node.name}</span>}
      {node.missing && <span className="sub"> (no longer exists)</span>}
      {node.repeated && <span className="sub"> (included above)</span>}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <RoleTreeView key={child.name} node={child} slug={slug} roles={roles} />
          ))}
        </ul>
      )}
    </li>
  );
}
