import { type FormEvent, useEffect, useState } from 'react';
import { useConsole } from '../app/console-context';
import { resumeMarker } from '../auth/resume';
import { SYSTEM_TENANT } from '../lib/locations';
import { describeError } from '../components/States';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * Operators sign in through the system tenant, a tenant's admins through their tenant:
 * `/console?tenant=acme` goes straight to acme's sign-in page.
 */
export function SignInScreen({ reason }: { reason?: string }) {
  const { oidc } = useConsole();
  const requested = new URLSearchParams(window.location.search).get('tenant');
  const [tenant, setTenant] = useState(requested ?? resumeMarker.last() ?? SYSTEM_TENANT);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signIn = async (slug: string) => {
    if (!SLUG.test(slug)) {
      setError('A tenant is 2–63 lowercase letters, digits or dashes.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      window.location.assign((await oidc.authorizationUrl(slug, '/')).href);
    } catch (caught) {
      setBusy(false);
      setError(`Cannot sign in to “${slug}”: ${describeError(caught).message}`);
    }
  };

  useEffect(() => {
    if (requested && !reason) void signIn(requested);
    // Only on arrival: a link with ?tenant= means "sign me in there".
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signIn(tenant.trim());
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1>Identity console</h1>
        {reason && (
          <p className="alert alert-info" role="status">
            {reason}
          </p>
        )}
        <p>Operators sign in to the system tenant; a tenant’s administrators sign in to their own tenant.</p>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="tenant">Tenant</label>
            <input
              id="tenant"
              name="tenant"
              value={tenant}
              onChange={(event) => setTenant(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="tenant-hint"
              aria-invalid={error ? true : undefined}
            />
            <p className="hint" id="tenant-hint">
              <code>system</code> for operators, or your tenant’s slug.
            </p>
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Redirecting…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
