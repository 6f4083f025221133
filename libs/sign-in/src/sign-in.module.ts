import { FederationModule } from '@app/federation';
import { IdentityModule } from '@app/identity';
import { MfaModule } from '@app/mfa';
import { PasskeysModule } from '@app/passkeys';
import { MailModule } from '@app/platform';
import { ProtocolModule } from '@app/protocol';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { AssetsController } from './assets.controller.js';
import { InteractionPages } from './interaction/interaction-pages.js';
import { SecondFactorPages } from './interaction/second-factor-pages.js';
import { SecondFactors } from './interaction/second-factors.js';
import { SelfServiceController } from './self-service/self-service.controller.js';
import { SelfServiceService } from './self-service/self-service.service.js';
import { BrokerCallbackController, BrokerReturnController } from './steps/broker.controller.js';
import { BrokerStep } from './steps/broker.step.js';
import { PublicProvidersController } from './steps/public-providers.controller.js';
import { ConsentGrants } from './steps/consent-grants.service.js';
import { ConsentController } from './steps/consent.controller.js';
import { CurrentStepController } from './steps/current-step.controller.js';
import { EmailCodeStep } from './steps/email-code.step.js';
import { LoginController } from './steps/login.controller.js';
import { PasswordChangeController } from './steps/password-change.controller.js';
import { PasskeyRegistrationController } from './steps/passkey-registration.controller.js';
import { PasskeySignInController } from './steps/passkey-sign-in.controller.js';
import { RegistrationController } from './steps/registration.controller.js';
import { SecondFactorController } from './steps/second-factor.controller.js';
import { SignInCompletion } from './steps/sign-in-completion.service.js';

/**
 * The sign-in pages oidc-provider's interactions lead to (one controller per step), the
 * self-service pages reached from mails (password reset, email verification) and the
 * stylesheet they share.
 */
@Module({
  imports: [
    ProtocolModule,
    TenancyModule,
    IdentityModule,
    SessionsModule,
    MfaModule,
    PasskeysModule,
    FederationModule,
    MailModule,
  ],
  controllers: [
    CurrentStepController,
    LoginController,
    RegistrationController,
    SecondFactorController,
    PasskeySignInController,
    PasskeyRegistrationController,
    PasswordChangeController,
    ConsentController,
    BrokerCallbackController,
    BrokerReturnController,
    PublicProvidersController,
    SelfServiceController,
    AssetsController,
  ],
  providers: [
    InteractionPages,
    SecondFactorPages,
    SecondFactors,
    SignInCompletion,
    EmailCodeStep,
    ConsentGrants,
    BrokerStep,
    SelfServiceService,
  ],
})
export class SignInModule {}
