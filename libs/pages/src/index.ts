export { PAGE_STYLESHEET, passkeyScriptHrefs, stylesheetHref } from './layout.js';
export { PASSKEY_SCRIPT } from './passkey-script.js';
export { renderConsentPage, renderErrorPage, renderLoggedOutPage, renderLoginPage, renderLogoutPage } from './pages.js';
export {
  renderMfaEnrollPage,
  renderMfaPage,
  renderPasskeyOfferPage,
  renderPasswordChangePage,
  renderRecoveryCodesPage,
} from './second-factor-pages.js';
export type { PasskeyCeremony, SecondFactorChoice } from './second-factor-pages.js';
export {
  renderForgotPasswordPage,
  renderNoticePage,
  renderRegisterPage,
  renderResetPasswordPage,
  renderVerifyEmailPage,
} from './self-service-pages.js';
