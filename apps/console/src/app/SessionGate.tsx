import { useEffect, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { resumeMarker } from '../auth/resume';
import { Loading } from '../components/Loading';
import { ErrorState } from '../components/States';
import { SignInScreen } from '../screens/SignInScreen';
import { useConsole, useSessionState } from './console-context';

/**
 * Signed in: the screens. Signed out: the sign-in screen — or, when this tab was signed in
 * before (a reload, a deep link), straight back through the tenant's sign-in page, which
 * answers at once while its session lasts.
 */
export function SessionGate() {
  const state = useSessionState();
  const { oidc } = useConsole();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const resumeTenant = state.status === 'signed-out' && !state.reason ? resumeMarker.get() : null;

  useEffect(() => {
    if (!resumeTenant) return;
    const returnTo = `${location.pathname}${location.search}`;
    oidc.authorizationUrl(resumeTenant, returnTo).then((url) => window.location.assign(url.href), setError);
  }, [resumeTenant, oidc, location.pathname, location.search]);

  if (state.status === 'signed-in') return <Outlet />;
  if (error) return <ErrorState error={error} />;
  if (resumeTenant) return <Loading label="Signing in…" />;
  return <SignInScreen reason={state.reason} />;
}
