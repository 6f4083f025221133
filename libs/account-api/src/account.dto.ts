import { IsString, MaxLength, MinLength } from 'class-validator';

export class TotpCodeDto {
  @IsString() @MinLength(1) @MaxLength(64) code: string;
}

export class ChangePasswordDto {
  @IsString() @MinLength(1) @MaxLength(1024) currentPassword: string;
  @IsString() @MinLength(1) @MaxLength(1024) newPassword: string;
}
