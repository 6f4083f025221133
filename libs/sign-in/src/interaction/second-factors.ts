import { MfaService } from '@app/mfa';
import { PasskeysService } from '@app/passkeys';
import { Injectable } from '@nestjs/common';

/** The second factors a user has: an authenticator app, passkeys. */
export interface UserFactors {
  totp: boolean;
  passkeys: number;
}

/** Which factors a user can prove after the password, from every library that keeps one. */
@Injectable()
export class SecondFactors {
  constructor(
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeysService,
  ) {}

  async of(tenantId: string, userId: string): Promise<UserFactors> {
    const [totp, passkeys] = await Promise.all([
      this.mfa.isActive(tenantId, userId),
      this.passkeys.relyingParty.available ? this.passkeys.count(tenantId, userId) : 0,
    ]);
    return { totp, passkeys };
  }

  static any(factors: UserFactors): boolean {
    return factors.totp || factors.passkeys > 0;
  }
}
