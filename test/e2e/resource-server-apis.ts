import type { ResourceServer } from '@idp/resource-server';
import {
  optionalAuth,
  requireAnyPermission,
  requireAnyRole,
  requireAuth,
  requirePermission,
  requireRole,
} from '@idp/resource-server/express';
import {
  CurrentPrincipal,
  OptionalAuth,
  type Principal,
  Public,
  RequireAnyPermission,
  RequireAnyRole,
  RequirePermission,
  RequireRole,
  RequireScope,
} from '@idp/resource-server/nest';
import { Controller, Get, Post } from '@nestjs/common';
import express from 'express';
import type { Server } from 'node:http';
import { baseUrlOf } from './resource-server-fixture.js';

// The protected APIs of the resource-server e2e tests: what an application author writes.

/** An Express API with one route per middleware, protected by `resourceServer`. */
export function expressApi(resourceServer: ResourceServer) {
  const app = express();
  const auth = requireAuth(resourceServer);
  app.get('/public', (_req, res) => void res.json({ ok: true }));
  app.get('/me', auth, (req, res) => void res.json(req.auth));
  app.get('/orders', auth, requirePermission('orders:read'), (_req, res) => void res.json({ orders: [] }));
  app.post('/orders', auth, requirePermission('orders:write'), (_req, res) => void res.status(201).json({}));
  app.get('/reports', auth, requireAnyPermission('reports:read', 'orders:write'), (_req, res) => void res.json({}));
  app.get('/managers', auth, requireRole('order-manager'), (_req, res) => void res.json({}));
  app.get('/staff', auth, requireAnyRole('order-clerk', 'order-manager'), (_req, res) => void res.json({}));
  app.get('/feed', optionalAuth(resourceServer), (req, res) => void res.json({ caller: req.auth?.sub ?? null }));
  // Misuse: a permission check without requireAuth before it must still refuse.
  app.get('/forgotten', requirePermission('orders:read'), (_req, res) => void res.json({ leaked: true }));
  return app;
}

export async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: baseUrlOf(server), server };
}

/** One route per decorator. */
@Controller()
export class OrdersController {
  @Public() @Get('health') health() {
    return { ok: true };
  }
  @Get('me') me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
  @Get('orders') @RequirePermission('orders:read') list() {
    return { orders: [] };
  }
  @Post('orders') @RequirePermission('orders:read', 'orders:write') create() {
    return { created: true };
  }
  @Get('reports') @RequireAnyPermission('reports:read', 'orders:write') reports() {
    return { reports: [] };
  }
  @Get('staff') @RequireAnyRole('order-clerk', 'order-manager') staff() {
    return { staff: true };
  }
  @Get('stacked') @RequirePermission('orders:read') @RequirePermission('orders:write') stacked() {
    return { stacked: true };
  }
  @Get('writes') @RequireScope('write') writes() {
    return { writes: true };
  }
  @Get('feed') @OptionalAuth() feed(@CurrentPrincipal() principal?: Principal) {
    return { caller: principal?.sub ?? null };
  }
}

/** Class-level requirements apply to every handler, on top of the handler's own. */
@Controller('ledger')
@RequireRole('order-manager')
export class LedgerController {
  @Get() read() {
    return { ledger: [] };
  }
  @Get('close') @RequirePermission('ledger:close') close() {
    return { closed: true };
  }
}
