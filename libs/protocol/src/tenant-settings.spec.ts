import { DEFAULT_SESSION_POLICY } from '@app/tenancy';
import { sessionLifetimeSeconds } from './tenant-settings.js';

describe('session lifetime', () => {
  const policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 };
  const now = 1_800_000_000;

  it('is the idle timeout for a fresh or active session', () => {
    expect(sessionLifetimeSeconds(policy, undefined, now)).toBe(600);
    expect(sessionLifetimeSeconds(policy, now - 1000, now)).toBe(600);
  });

  it('never reaches past the absolute timeout from sign-in', () => {
    expect(sessionLifetimeSeconds(policy, now - 3300, now)).toBe(300);
  });

  it('ends a session past its absolute timeout at once', () => {
    expect(sessionLifetimeSeconds(policy, now - 4000, now)).toBe(1);
  });
});
