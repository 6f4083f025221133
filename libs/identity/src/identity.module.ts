import { Module } from '@nestjs/common';
import { UserActionTokensService } from './user-action-tokens.service.js';
import { PasswordsService } from './passwords.service.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [UsersService, PasswordsService, UserActionTokensService],
  exports: [UsersService, PasswordsService, UserActionTokensService],
})
export class IdentityModule {}
