import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate, useParams } from 'react-router';
import type { Page } from '../api/http';
import type { Tenant } from '../api/types';
import { can } from '../auth/principal';
import { resumeMarker } from '../auth/resume';
import { useApi, useConsole, usePrincipal } from './console-context';
import { visibleNavigation } from './navigation';

function TenantSwitcher() {
  const api = useApi();
  const navigate = useNavigate();
  const { slug } = useParams();
  const tenants = useQuery({
    queryKey: ['tenants', 'switcher'],
    queryFn: () => api.get<Page<Tenant>>('/tenants', { limit: 100 }),
  });
  const items = tenants.data?.items ?? [];
  return (
    <div className="tenant-switcher">
      <label htmlFor="tenant-switcher">Tenant</label>
      <select
        id="tenant-switcher"
        value={slug ?? ''}
        onChange={(event) => navigate(event.target.value ? `/t/${event.target.value}` : '/tenants')}
      >
        <option value="">All tenants</option>
        {items.map((tenant) => (
          <option key={tenant.slug} value={tenant.slug}>
            {tenant.displayName} ({tenant.slug})
          </option>
        ))}
        {slug && !items.some((t) => t.slug === slug) && <option value={slug}>{slug}</option>}
      </select>
    </div>
  );
}

function UserMenu() {
  const principal = usePrincipal();
  const { session } = useConsole();
  const [leaving, setLeaving] = useState(false);
  const signOut = async () => {
    setLeaving(true);
    resumeMarker.clear();
    const url = await session.signOut();
    window.location.assign(url?.href ?? window.location.href);
  };
  return (
    <div className="user-menu">
      <span className="user-name">
        {principal.username ?? principal.subject}
        <span className="user-tenant">
          {principal.isOperator ? 'operator' : principal.tenant}
          {principal.permissions.some((p) => p.endsWith(':write')) ? '' : ' · read only'}
        </span>
      </span>
      <button type="button" className="btn btn-small" onClick={() => void signOut()} disabled={leaving}>
        {leaving ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}

/** The frame of every signed-in screen: top bar, the tenant's navigation, the screen. */
export function Shell() {
  const principal = usePrincipal();
  const { slug } = useParams();
  const [menuOpen, setMenuOpen] = useState(false);
  const tenant = slug ?? (principal.isOperator ? undefined : principal.tenant);
  const entries = tenant ? visibleNavigation(principal) : [];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Identity console
        </NavLink>
        {principal.isOperator && can(principal, 'tenants:read') && <TenantSwitcher />}
        <UserMenu />
      </header>
      <div className="body">
        <nav className="sidenav" aria-label="Console">
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav-links"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
          <ul id="nav-links" className={menuOpen ? 'open' : ''}>
            {principal.isOperator && can(principal, 'tenants:read') && (
              <li>
                <NavLink to="/tenants" end onClick={() => setMenuOpen(false)}>
                  Tenants
                </NavLink>
              </li>
            )}
            {tenant && <li className="nav-section">{tenant}</li>}
            {entries.map((entry) => (
              <li key={entry.path}>
                <NavLink
                  to={`/t/${tenant}${entry.path ? `/${entry.path}` : ''}`}
                  end={!entry.path}
                  onClick={() => setMenuOpen(false)}
                >
                  {entry.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
