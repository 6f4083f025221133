import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, useParams } from 'react-router';
import { homePath } from './navigation';
import { usePrincipal } from './console-context';
import { SessionGate } from './SessionGate';
import { Shell } from './Shell';
import { CallbackScreen } from '../screens/CallbackScreen';
import { NotFoundScreen } from '../screens/NotFoundScreen';
import { DashboardScreen } from '../screens/dashboard/DashboardScreen';
import { TenantListScreen } from '../screens/tenants/TenantListScreen';
import { TenantSettingsScreen } from '../screens/tenants/TenantSettingsScreen';
import { ApplicationListScreen } from '../screens/applications/ApplicationListScreen';
import { ApplicationDetailScreen } from '../screens/applications/ApplicationDetailScreen';
import { ResourceListScreen } from '../screens/resources/ResourceListScreen';
import { RoleListScreen } from '../screens/roles/RoleListScreen';
import { RoleDetailScreen } from '../screens/roles/RoleDetailScreen';
import { UserListScreen } from '../screens/users/UserListScreen';
import { UserDetailScreen } from '../screens/users/UserDetailScreen';
import { AuditScreen } from '../screens/audit/AuditScreen';
import { WebhookListScreen } from '../screens/webhooks/WebhookListScreen';
import { WebhookDetailScreen } from '../screens/webhooks/WebhookDetailScreen';

function Home() {
  return <Navigate to={homePath(usePrincipal())} replace />;
}

/** Screens over every tenant; a tenant admin is sent to their own tenant instead. */
function OperatorOnly({ children }: { children: ReactNode }) {
  const principal = usePrincipal();
  if (!principal.isOperator) return <Navigate to={`/t/${principal.tenant}`} replace />;
  return <>{children}</>;
}

/** A tenant admin's links into another tenant go back to their own (the API would say 403 anyway). */
function TenantScope() {
  const principal = usePrincipal();
  const { slug } = useParams();
  if (!principal.isOperator && slug !== principal.tenant) return <Navigate to={`/t/${principal.tenant}`} replace />;
  return <Shell />;
}

export function createRouter(basename: string) {
  return createBrowserRouter(
    [
      { path: '/callback', element: <CallbackScreen /> },
      {
        element: <SessionGate />,
        children: [
          { index: true, element: <Home /> },
          {
            element: <Shell />,
            children: [
              {
                path: 'tenants',
                element: (
                  <OperatorOnly>
                    <TenantListScreen />
                  </OperatorOnly>
                ),
              },
            ],
          },
          {
            path: 't/:slug',
            element: <TenantScope />,
            children: [
              { index: true, element: <DashboardScreen /> },
              { path: 'applications', element: <ApplicationListScreen /> },
              { path: 'applications/:clientId', element: <ApplicationDetailScreen /> },
              { path: 'resources', element: <ResourceListScreen /> },
              { path: 'roles', element: <RoleListScreen /> },
              { path: 'roles/:id', element: <RoleDetailScreen /> },
              { path: 'users', element: <UserListScreen /> },
              { path: 'users/:id', element: <UserDetailScreen /> },
              { path: 'audit', element: <AuditScreen /> },
              { path: 'webhooks', element: <WebhookListScreen /> },
              { path: 'webhooks/:id', element: <WebhookDetailScreen /> },
              { path: 'settings', element: <TenantSettingsScreen /> },
              { path: '*', element: <NotFoundScreen /> },
            ],
          },
          { element: <Shell />, children: [{ path: '*', element: <NotFoundScreen /> }] },
        ],
      },
    ],
    { basename },
  );
}
