import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';

/** No control characters (NUL, newlines…) in a name that ends up in tokens and on pages. */
const PRINTABLE = /^[^\p{Cc}]*$/u;
const PRINTABLE_MESSAGE = '$property must not contain control characters';
/** BCP 47 language tag, as OIDC's `locale` claim (`en`, `en-GB`, `zh-Hant-TW`). */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;

/**
 * `PATCH {issuer}/account`: the OIDC standard claims a user edits; the property names are
 * the claims' own. `null` (or "") clears one; absent leaves it.
 */
export class UpdateProfileDto {
  @IsOptional() @IsString() @MaxLength(200) @Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }) name?: string | null;
  @IsOptional() @IsString() @MaxLength(100) @Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }) given_name?:
    string | null;
  @IsOptional() @IsString() @MaxLength(100) @Matches(PRINTABLE, { message: PRINTABLE_MESSAGE }) family_name?:
    string | null;
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @Matches(LOCALE, { message: 'locale must be a BCP 47 language tag such as en or en-GB' })
  locale?: string | null;
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: true, disallow_auth: true },
    { message: 'picture must be an https URL (no credentials)' },
  )
  picture?: string | null;
}

export class EndSessionsQueryDto {
  /** `true` also ends the session this token belongs to. */
  @IsOptional() @IsIn(['true', 'false']) includeCurrent?: 'true' | 'false';
}

export class ActivityQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @Matches(/^[1-9]\d{0,18}$/, { message: 'cursor is not valid' }) cursor?: string;
}
