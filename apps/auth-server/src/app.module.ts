import { AuditModule } from '@app/audit';
import { AccountApiModule } from '@app/account-api';
import { AdminApiModule } from '@app/admin-api';
import { SignInModule } from '@app/sign-in';
import { OperationsModule } from '@app/operations';
import { type AppConfig, ConfigModule, DatabaseModule, SharedStateModule, ObservabilityModule } from '@app/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities.js';

/** Composition root: configuration, storage, then the domain modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        DatabaseModule.forRoot(ENTITIES),
        SharedStateModule,
        AuditModule,
        SignInModule,
        AdminApiModule,
        AccountApiModule,
        OperationsModule,
      ],
    };
  }
}
