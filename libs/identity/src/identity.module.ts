import { Module } from '@nestjs/common';
import { UserActionTokensService } from './user-action-tokens.service.js';
import { UsersService } from './users.service.js';

@Module({ providers: [UsersService, UserActionTokensService], exports: [UsersService, UserActionTokensService] })
export class IdentityModule {}
