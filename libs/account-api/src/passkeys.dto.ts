import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Printable characters only: a name is shown in lists and mails. */
const NAME = /^[^\p{Cc}\p{Cf}]+$/u;

export class PasskeyNameDto {
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(NAME, { message: 'name must be printable characters' })
  name: string;
}

export class RegisterPasskeyDto {
  /** Default: the browser and system of the request ("Chrome 131 on macOS"). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(NAME, { message: 'name must be printable characters' })
  name?: string;

  /** What @simplewebauthn/browser's startRegistration() resolved to (RegistrationResponseJSON). */
  @IsObject()
  response: Record<string, unknown>;
}
