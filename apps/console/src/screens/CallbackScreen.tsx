import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useConsole } from '../app/console-context';
import { homePath } from '../app/navigation';
import type { TokenSet } from '../auth/oidc-client';
import { principalFrom } from '../auth/principal';
import { resumeMarker } from '../auth/resume';
import { Loading } from '../components/Loading';
import { describeError } from '../components/States';

type Completed = { tenant: string; returnTo: string; tokens: TokenSet };
/** One redemption per callback URL: a code is good once, even if React runs the effect twice. */
const redemptions = new Map<string, Promise<Completed>>();

export function CallbackScreen() {
  const { oidc, session } = useConsole();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const href = window.location.href;
    let redemption = redemptions.get(href);
    if (!redemption) {
      redemption = oidc.completeSignIn(new URL(href));
      redemptions.set(href, redemption);
    }
    let active = true;
    redemption.then(
      ({ tenant, returnTo, tokens }) => {
        if (!active) return;
        session.start(tenant, tokens);
        resumeMarker.set(tenant);
        const principal = principalFrom(tokens.accessToken);
        navigate(returnTo && returnTo !== '/' ? returnTo : homePath(principal), { replace: true });
      },
      (caught: unknown) => active && setError(describeError(caught).message),
    );
    return () => {
      active = false;
    };
  }, [oidc, session, navigate]);

  if (!error) return <Loading label="Signing in…" />;
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1>Sign-in failed</h1>
        <p className="alert alert-error" role="alert">
          {error}
        </p>
        <Link className="btn btn-primary" to="/">
          Try again
        </Link>
      </div>
    </main>
  );
}
