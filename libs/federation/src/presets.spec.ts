import { MICROSOFT_ISSUER, PRESETS, profileFromClaims, profileFromGitHub } from './presets.js';

// Response shapes as the providers document them (trimmed to the fields we read plus a few neighbours).
const GITHUB_USER = {
  login: 'octocat',
  id: 583231,
  node_id: 'MDQ6VXNlcjU4MzIzMQ==',
  type: 'User',
  name: 'The Octocat',
  company: '@github',
  email: 'octocat@github.com',
};
const GITHUB_EMAILS = [
  { email: 'octocat@example.com', verified: true, primary: true, visibility: 'public' },
  { email: 'old@example.com', verified: false, primary: false, visibility: null },
];
const GOOGLE_ID_TOKEN = {
  iss: 'https://accounts.google.com',
  azp: '1234987819200.apps.googleusercontent.com',
  aud: '1234987819200.apps.googleusercontent.com',
  sub: '10769150350006150715113082367',
  hd: 'example.com',
  email: 'Jsmith@example.com',
  email_verified: true,
  name: 'John Smith',
  given_name: 'John',
  iat: 1353601026,
  exp: 1353604926,
  nonce: '0394852-3190485-2490358',
};
const MICROSOFT_ID_TOKEN = {
  aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3',
  iss: 'https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  name: 'Abe Lincoln',
  oid: '00000000-0000-0000-66f3-3332eca7ea81',
  preferred_username: 'AbeLi@microsoft.com',
  email: 'abeli@microsoft.com',
  sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
  tid: '9122040d-6c67-4c5b-b112-36a304b66dad',
  ver: '2.0',
};

describe('identity provider presets', () => {
  it('GitHub: documented OAuth endpoints, no discovery, the emails scope', () => {
    expect(PRESETS.github.issuer).toBeNull();
    expect(PRESETS.github.oauth).toEqual({
      issuer: 'https://github.com',
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      userApi: 'https://api.github.com/user',
      emailsApi: 'https://api.github.com/user/emails',
    });
    expect(PRESETS.github.defaultScopes).toContain('user:email');
  });

  it('GitHub: numeric id is the subject, the primary verified address is the email', () => {
    expect(profileFromGitHub(GITHUB_USER, GITHUB_EMAILS)).toEqual({
      subject: '583231',
      email: 'octocat@example.com',
      emailVerified: true,
      name: 'The Octocat',
      username: 'octocat',
    });
  });

  it('GitHub: an unverified primary address, or only the public profile email, is never verified', () => {
    const unverified = [{ email: 'octocat@example.com', verified: false, primary: true }];
    expect(profileFromGitHub(GITHUB_USER, unverified).emailVerified).toBe(false);
    const profileOnly = profileFromGitHub(GITHUB_USER, null);
    expect(profileOnly).toMatchObject({ email: 'octocat@github.com', emailVerified: false });
  });

  it('Google: issuer by discovery, standard claims, email lower-cased', () => {
    expect(PRESETS.google.issuer).toBe('https://accounts.google.com');
    expect(profileFromClaims('google', GOOGLE_ID_TOKEN)).toEqual({
      subject: '10769150350006150715113082367',
      email: 'jsmith@example.com',
      emailVerified: true,
      name: 'John Smith',
      username: null,
    });
    expect(profileFromClaims('google', { ...GOOGLE_ID_TOKEN, email_verified: false }).emailVerified).toBe(false);
  });

  it('Microsoft: a directory or multi-tenant issuer; email is unverified unless xms_edov says the domain is verified', () => {
    expect(MICROSOFT_ISSUER.test(MICROSOFT_ID_TOKEN.iss)).toBe(true);
    expect(MICROSOFT_ISSUER.test('https://login.microsoftonline.com/common/v2.0')).toBe(true);
    expect(MICROSOFT_ISSUER.test('https://login.microsoftonline.com.evil.example/common/v2.0')).toBe(false);
    expect(MICROSOFT_ISSUER.test('https://login.microsoftonline.com/anything/v2.0')).toBe(false);
    expect(profileFromClaims('microsoft', MICROSOFT_ID_TOKEN)).toEqual({
      subject: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      email: 'abeli@microsoft.com',
      emailVerified: false,
      name: 'Abe Lincoln',
      username: 'AbeLi@microsoft.com',
    });
    // Even an email_verified claim does not count: Microsoft does not define it.
    expect(profileFromClaims('microsoft', { ...MICROSOFT_ID_TOKEN, email_verified: true }).emailVerified).toBe(false);
    expect(profileFromClaims('microsoft', { ...MICROSOFT_ID_TOKEN, xms_edov: true }).emailVerified).toBe(true);
  });

  it('generic OIDC: a missing subject is refused; the string "true" counts, anything else does not', () => {
    expect(() => profileFromClaims('oidc', { email: 'a@b.example' })).toThrow();
    expect(profileFromClaims('oidc', { sub: 'x', email: 'a@b.example', email_verified: 'true' }).emailVerified).toBe(
      true,
    );
    expect(profileFromClaims('oidc', { sub: 'x', email: 'a@b.example', email_verified: 1 }).emailVerified).toBe(false);
  });
});
