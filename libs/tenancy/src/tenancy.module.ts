import { Module } from '@nestjs/common';
import { TenantsRepository } from './tenants.repository.js';

@Module({ providers: [TenantsRepository], exports: [TenantsRepository] })
export class TenancyModule {}
