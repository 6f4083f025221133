import { describeChanges } from './admin-change-snapshots.js';

describe('describeChanges', () => {
  it('lists only the fields that changed, with both values', () => {
    expect(
      describeChanges(
        { displayName: 'Acme', settings: { mfaRequired: false }, slug: 'acme' },
        { displayName: 'Acme Corp', settings: { mfaRequired: true }, slug: 'acme' },
      ),
    ).toEqual({
      changes: {
        displayName: { before: 'Acme', after: 'Acme Corp' },
        settings: { before: { mfaRequired: false }, after: { mfaRequired: true } },
      },
      credentialsChanged: [],
    });
  });

  it('says a credential changed without showing either value', () => {
    const changes = describeChanges({ secret: 'hash-1', name: 'app' }, { secret: 'hash-2', name: 'app' });
    expect(changes).toEqual({ changes: {}, credentialsChanged: ['secret'] });
    expect(JSON.stringify(changes)).not.toMatch(/hash-/);
  });

  it('never shows an issued API key (only that a credential was issued)', () => {
    const key = 'idpk_0123456789abcdefghijABCDEFGHIJ0123456789abcdefgh';
    const changes = describeChanges(null, { id: 'k1', name: 'export', apiKey: key, hint: key.slice(0, 9) });
    expect(changes.credentialsChanged).toEqual(['apiKey']);
    expect(JSON.stringify(changes)).not.toContain(key);
  });

  it('records a deletion as every field going to null', () => {
    expect(describeChanges({ name: 'viewer' }, null).changes).toEqual({ name: { before: 'viewer', after: null } });
  });
});
