export { PAGE_STYLESHEET, stylesheetHref } from './layout.js';
export {
  renderConsentPage,
  renderErrorPage,
  renderLoggedOutPage,
  renderLoginPage,
  renderLogoutPage,
  renderMfaEnrollPage,
  renderMfaPage,
  renderRecoveryCodesPage,
} from './pages.js';
export {
  renderForgotPasswordPage,
  renderNoticePage,
  renderRegisterPage,
  renderResetPasswordPage,
  renderVerifyEmailPage,
} from './self-service-pages.js';
