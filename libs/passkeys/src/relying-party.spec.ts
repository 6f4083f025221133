import { relyingPartyOf } from './relying-party.js';

describe('relyingPartyOf', () => {
  it('takes the host of PUBLIC_URL as id and its origin, port included, as origin', () => {
    expect(relyingPartyOf('https://id.example.com/base')).toEqual({
      id: 'id.example.com',
      origin: 'https://id.example.com',
      available: true,
    });
    expect(relyingPartyOf('http://localhost:3000')).toEqual({
      id: 'localhost',
      origin: 'http://localhost:3000',
      available: true,
    });
  });

  it('says passkeys are unavailable on an IP address (browsers refuse it as relying-party id)', () => {
    expect(relyingPartyOf('http://127.0.0.1:3000').available).toBe(false);
    expect(relyingPartyOf('http://[::1]:3000').available).toBe(false);
  });
});
