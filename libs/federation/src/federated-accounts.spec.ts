import { usernameFrom } from './federated-accounts.service.js';

const profile = (username: string | null, email: string | null) => ({
  subject: 's',
  email,
  emailVerified: true,
  name: null,
  username,
});

describe('username of a user created on first sign-in', () => {
  it('is the upstream suggestion, lower-cased and reduced to safe characters', () => {
    expect(usernameFrom(profile('Octo Cat!', null))).toBe('octo-cat');
    expect(usernameFrom(profile('AbeLi@microsoft.com', null))).toBe('abeli-microsoft.com');
  });

  it("falls back to the email's local part, then to a random name", () => {
    expect(usernameFrom(profile(null, 'jane.doe@example.com'))).toBe('jane.doe');
    expect(usernameFrom(profile('!', null))).toMatch(/^user-[0-9a-f]{8}$/);
    expect(usernameFrom(profile(null, null))).toMatch(/^user-[0-9a-f]{8}$/);
  });

  it('is at most 64 characters', () => {
    expect(usernameFrom(profile('a'.repeat(200), null))).toHaveLength(64);
  });
});
