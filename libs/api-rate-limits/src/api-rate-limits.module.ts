import { SHARED_STATE, type SharedState } from '@app/platform';
import { ProtocolModule } from '@app/protocol';
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { apiThrottlerOptions, TenantRateLimitGuard } from './tenant-rate-limit.guard.js';

/** Per-principal limits on admin and account API calls, where a tenant's settings ask for them. */
@Module({
  imports: [
    ProtocolModule,
    ThrottlerModule.forRootAsync({
      inject: [SHARED_STATE],
      useFactory: (state: SharedState) => apiThrottlerOptions(state.throttle),
    }),
  ],
  providers: [TenantRateLimitGuard],
  exports: [TenantRateLimitGuard],
})
export class ApiRateLimitsModule {}
