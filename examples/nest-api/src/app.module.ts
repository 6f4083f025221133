import { type DynamicModule, Module } from '@nestjs/common';
import { ResourceServerModule } from '@idp/resource-server/nest';
import { OrdersController } from './orders.controller.js';

export interface ApiSettings {
  /** The tenant's issuer, e.g. http://localhost:3000/t/acme */
  issuer: string;
  /** This API's resource identifier, e.g. https://orders.acme.example */
  audience: string;
}

@Module({})
export class AppModule {
  static forRoot(settings: ApiSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [ResourceServerModule.forRoot({ issuer: settings.issuer, audience: settings.audience })],
      controllers: [OrdersController],
    };
  }
}
