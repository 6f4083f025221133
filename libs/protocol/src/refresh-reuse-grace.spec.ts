import { createMemoryAdapterFactory } from '@app/platform';
import { withRefreshReuseGrace } from './refresh-reuse-grace.js';

describe('refresh token reuse grace window', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('hides a consumption that happened within the window', async () => {
    const tokens = createMemoryAdapterFactory()('RefreshToken');
    await tokens.upsert('rt', { grantId: 'g', consumed: now() - 5 }, 60);
    expect((await withRefreshReuseGrace(tokens, 10).find('rt'))?.consumed).toBeUndefined();
  });

  it('reports a consumption older than the window, so reuse revokes the grant', async () => {
    const tokens = createMemoryAdapterFactory()('RefreshToken');
    await tokens.upsert('rt', { grantId: 'g', consumed: now() - 11 }, 60);
    expect((await withRefreshReuseGrace(tokens, 10).find('rt'))?.consumed).toEqual(now() - 11);
  });

  it('changes nothing when the window is 0 (the default)', async () => {
    const tokens = createMemoryAdapterFactory()('RefreshToken');
    expect(withRefreshReuseGrace(tokens, 0)).toBe(tokens);
  });
});
