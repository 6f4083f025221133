import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Public, RequirePermission } from '@idp/resource-server/nest';

/** Every route needs a valid access token unless it says otherwise: the module's guard is global. */
@Controller()
export class OrdersController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Callers whose roles grant `orders:read` (the token must be requested with the `roles` scope). */
  @RequirePermission('orders:read')
  @Get('orders')
  orders(@CurrentPrincipal() caller: Principal) {
    return { orders: [{ id: 1, item: 'coffee beans' }], readBy: caller.sub };
  }

  /** Any valid token: who is calling, as the token says. */
  @Get('me')
  me(@CurrentPrincipal() caller: Principal) {
    const { sub, clientId, subjectType, tenant, scopes, roles, permissions } = caller;
    return { sub, clientId, subjectType, tenant, scopes, roles, permissions };
  }
}
