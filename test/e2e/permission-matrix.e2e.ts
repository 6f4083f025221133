import { IS_PUBLIC, REQUIRED_PERMISSION, SYSTEM_ONLY } from '@app/platform';
import { startTestServer, type TestServer } from '@app/testing';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { clientCredentials } from './oidc-flows.js';

interface Route {
  method: string;
  path: string;
  permission?: string;
  systemOnly: boolean;
  isPublic: boolean;
}

/** Every route of the app, read from Nest's own metadata, so a new route cannot be left out. */
function discoverRoutes(server: TestServer): Route[] {
  const app = server.server.app;
  const modules = app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: Route[] = [];
  const controllers = [...modules.values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const controller = instance.constructor;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const targets = [handler as () => void, controller];
      routes.push({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
        path: `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/'),
        permission: reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets),
        systemOnly: !!reflector.getAllAndOverride<boolean>(SYSTEM_ONLY, targets),
        isPublic: !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets),
      });
    }
  }
  return routes;
}

describe('permission matrix (generated from route metadata)', () => {
  let server: TestServer;
  let routes: Route[];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    routes = discoverRoutes(server);
    const adminResource = `${server.publicUrl}/admin`;
    for (const slug of ['acme', 'globex']) {
      await server.adminApi('POST', '/admin/tenants', { slug, displayName: slug });
    }
    const accountOf = async (slug: string, roles: string[]) => {
      const created = await server.adminApi('POST', `/admin/tenants/${slug}/clients`, {
        name: 'matrix',
        applicationType: 'service',
        resources: [adminResource],
      });
      await server.adminApi('PUT', `/admin/tenants/${slug}/clients/${created.body.clientId}/roles`, { roles });
      const token = await clientCredentials(server.issuer(slug), created.body, {
        scope: 'admin',
        resource: adminResource,
      });
      return token.body.access_token as string;
    };
    tokens.guest = await accountOf('acme', ['guest']);
    tokens.acmeAdmin = await accountOf('acme', ['admin']);
  });
  afterAll(() => server?.close());

  const adminRoutes = () => routes.filter((r) => r.path.startsWith('/admin/') && !r.path.startsWith('/admin/docs'));
  const call = (route: Route, slug: string, token?: string) =>
    fetch(
      `${server.url}${route.path.replace(':slug', slug).replace(/:[A-Za-z]+/g, '00000000-0000-0000-0000-000000000000')}`,
      {
        method: route.method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{}' : undefined,
      },
    );

  it('finds the admin routes, and every one of them names a permission (deny by default)', () => {
    expect(adminRoutes().length).toBeGreaterThanOrEqual(20);
    for (const route of adminRoutes()) {
      expect({ route: `${route.method} ${route.path}`, permission: route.permission }).toEqual({
        route: `${route.method} ${route.path}`,
        permission: expect.stringMatching(/^[a-z]+:(read|write)$/),
      });
    }
    const permissionOf = (method: string, path: string) =>
      routes.find((r) => r.method === method && r.path === path)?.permission;
    expect(permissionOf('GET', '/admin/tenants/:slug/users/:id/passkeys')).toBe('users:read');
    expect(permissionOf('DELETE', '/admin/tenants/:slug/users/:id/passkeys/:pid')).toBe('users:write');
    const publicRoutes = routes.filter((r) => r.isPublic).map((r) => r.path);
    // Outside the admin guard: operations, the stylesheet, the sign-in pages, the account
    // API (which has its own guard, checked below) and the mailed-link pages (reset, verify).
    expect(
      publicRoutes.filter(
        (p) =>
          !/^\/(health|metrics|assets|t\/:tenant\/(interaction|account|password|email|broker|providers))(\/|$)/.test(p),
      ),
    ).toEqual([]);
  });

  it('API keys, API resources and the permission registry are among them, with their permissions', () => {
    const permissionOf = (method: string, path: string) =>
      routes.find((r) => r.method === method && r.path === path)?.permission;
    const keys = '/admin/tenants/:slug/clients/:clientId/api-keys';
    expect({
      create: permissionOf('POST', keys),
      list: permissionOf('GET', keys),
      get: permissionOf('GET', `${keys}/:id`),
      regenerate: permissionOf('POST', `${keys}/:id/regenerate`),
      delete: permissionOf('DELETE', `${keys}/:id`),
      getResource: permissionOf('GET', '/admin/tenants/:slug/resources/:id'),
      updateResource: permissionOf('PATCH', '/admin/tenants/:slug/resources/:id'),
      deleteResource: permissionOf('DELETE', '/admin/tenants/:slug/resources/:id'),
      permissions: permissionOf('GET', '/admin/tenants/:slug/permissions'),
      providers: permissionOf('GET', '/admin/tenants/:slug/identity-providers'),
      createProvider: permissionOf('POST', '/admin/tenants/:slug/identity-providers'),
      getProvider: permissionOf('GET', '/admin/tenants/:slug/identity-providers/:alias'),
      updateProvider: permissionOf('PATCH', '/admin/tenants/:slug/identity-providers/:alias'),
      deleteProvider: permissionOf('DELETE', '/admin/tenants/:slug/identity-providers/:alias'),
    }).toEqual({
      create: 'clients:write',
      list: 'clients:read',
      get: 'clients:read',
      regenerate: 'clients:write',
      delete: 'clients:write',
      getResource: 'clients:read',
      updateResource: 'clients:write',
      deleteResource: 'clients:write',
      permissions: 'roles:read',
      providers: 'providers:read',
      createProvider: 'providers:write',
      getProvider: 'providers:read',
      updateProvider: 'providers:write',
      deleteProvider: 'providers:write',
    });
  });

  it('no token, or an admin token, → 401 on every account route', async () => {
    const accountRoutes = routes.filter((r) => r.path.startsWith('/t/:tenant/account'));
    expect(accountRoutes.length).toBeGreaterThanOrEqual(4);
    for (const route of accountRoutes) {
      for (const token of [undefined, tokens.acmeAdmin]) {
        const status = (await call({ ...route, path: route.path.replace(':tenant', 'acme') }, 'acme', token)).status;
        expect({ route: `${route.method} ${route.path}`, status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
      }
    }
  });

  it('no token → 401 on every admin route', async () => {
    for (const route of adminRoutes()) {
      expect({ route: `${route.method} ${route.path}`, status: (await call(route, 'acme')).status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it('a token without the permission → 403 on every admin route', async () => {
    for (const route of adminRoutes()) {
      expect({
        route: `${route.method} ${route.path}`,
        status: (await call(route, 'acme', tokens.guest)).status,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
      });
    }
  });

  it('a tenant admin is let through on its own tenant and refused (403) on another', async () => {
    for (const route of adminRoutes()) {
      const label = `${route.method} ${route.path}`;
      const own = (await call(route, 'acme', tokens.acmeAdmin)).status;
      const other = (await call(route, 'globex', tokens.acmeAdmin)).status;
      const tenantScoped = route.path.includes(':slug');
      if (route.systemOnly) {
        expect({ label, own }).toEqual({ label, own: 403 });
      } else {
        // Past the guard: the answer is the route's own (2xx, or 400/404 for the placeholder ids and empty bodies).
        expect({ label, own: [401, 403].includes(own) }).toEqual({ label, own: false });
      }
      if (tenantScoped) expect({ label, other }).toEqual({ label, other: 403 });
    }
  });
});
