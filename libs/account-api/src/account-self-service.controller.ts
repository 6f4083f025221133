import { TenantRateLimitGuard } from '@app/api-rate-limits';
import { type AuditEventEntity, AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { Public, ValidationError } from '@app/platform';
import { SessionTerminationService } from '@app/sessions';
import { Body, Controller, Delete, Get, Patch, Query, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccountGuard, type AccountRequest } from './account.guard.js';
import { accountProfile } from './account-profile.js';
import { ActivityQueryDto, EndSessionsQueryDto, UpdateProfileDto } from './account-profile.dto.js';

/** Audit events that are a sign-in (or an attempt at one) of the user. */
const SIGN_IN_EVENTS = ['login.success', 'login.failure', 'mfa.failure', 'account.locked'];
const DEFAULT_ACTIVITY_PAGE = 20;

/** How the sign-in went (amr values, RFC 8176): what succeeded, or which step failed. */
function methodsOf(event: AuditEventEntity): string[] {
  const data = event.data as { amr?: unknown; factor?: unknown };
  if (event.type === 'login.success') return Array.isArray(data.amr) ? data.amr.map(String) : [];
  if (event.type === 'mfa.failure') return [data.factor === 'totp' || !data.factor ? 'otp' : String(data.factor)];
  return ['pwd'];
}

function activityDto(event: AuditEventEntity) {
  const reason = (event.data as { reason?: unknown }).reason;
  return {
    id: event.seq,
    at: event.occurredAt.toISOString(),
    event: event.type,
    outcome: event.outcome,
    methods: methodsOf(event),
    ip: event.ip,
    userAgent: event.userAgent,
    clientId: event.clientId,
    ...(event.type === 'account.locked' ? { reason: 'locked' } : typeof reason === 'string' ? { reason } : {}),
  };
}

/**
 * Self-service on `{issuer}/account`: edit the profile, sign out everywhere else, see one's
 * own recent sign-ins. Everything is scoped to the token's user: no route takes a user id.
 */
@ApiExcludeController()
@Public()
@UseGuards(AccountGuard, TenantRateLimitGuard)
@Controller('t/:tenant/account')
export class AccountSelfServiceController {
  constructor(
    private readonly users: UsersService,
    private readonly termination: SessionTerminationService,
    private readonly audit: AuditService,
  ) {}

  @Patch()
  async updateProfile(@Req() request: AccountRequest, @Body() body: UpdateProfileDto) {
    const { tenantId, accountId } = request.account!;
    const changes = {
      name: body.name,
      givenName: body.given_name,
      familyName: body.family_name,
      locale: body.locale,
      picture: body.picture,
    };
    const changed = Object.keys(changes).filter((key) => changes[key as keyof typeof changes] !== undefined);
    if (!changed.length)
      throw new ValidationError('nothing to change: send name, given_name, family_name, locale or picture');
    const user = await this.users.updateProfile(tenantId, accountId, changes);
    await this.event(request, 'user.profile_updated', { fields: changed });
    return accountProfile(user);
  }

  /**
   * "Sign out everywhere else": ends every session of the user (and their tokens) but the
   * one this token was issued in, or that one too with `?includeCurrent=true`.
   */
  @Delete('sessions')
  async endSessions(@Req() request: AccountRequest, @Query() query: EndSessionsQueryDto) {
    const { tenantId, accountId, sessionUid } = request.account!;
    const includeCurrent = query.includeCurrent === 'true';
    if (!includeCurrent && !sessionUid) {
      // A JWT access token does not name its session: ending "the others" could end this one too.
      throw new ValidationError('this token does not name its session; send includeCurrent=true to end every session');
    }
    const ended = await this.termination.endAll(tenantId, accountId, includeCurrent ? undefined : sessionUid);
    await this.event(request, 'session.revoked', { scope: includeCurrent ? 'all' : 'others', ended });
    return { ended };
  }

  /** The user's own recent sign-ins and attempts, newest first, from the audit trail. */
  @Get('activity')
  async activity(@Req() request: AccountRequest, @Query() query: ActivityQueryDto) {
    const { tenantId, accountId } = request.account!;
    const user = await this.users.get(tenantId, accountId);
    const limit = query.limit ?? DEFAULT_ACTIVITY_PAGE;
    const events = await this.audit.ofSubjects(tenantId, {
      // Failed passwords are recorded under the username typed; `since` keeps out a former
      // account's events under the same username.
      subjects: [user.id, user.username],
      types: SIGN_IN_EVENTS,
      since: user.createdAt,
      limit: limit + 1,
      beforeSeq: query.cursor,
    });
    const items = events.slice(0, limit).map(activityDto);
    return { items, nextCursor: events.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  private event(request: AccountRequest, type: string, data: Record<string, unknown>) {
    const { tenantId, accountId } = request.account!;
    return this.audit.record(tenantId, {
      type,
      outcome: 'success',
      actor: { type: 'user', id: accountId },
      subject: accountId,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data,
    });
  }
}
