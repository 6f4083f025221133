import { introspectionByResourceServers } from './introspection-policy.js';

type Client = Parameters<ReturnType<typeof introspectionByResourceServers>>[0];
const client = (clientId: string, clientAuthMethod = 'client_secret_basic') =>
  ({ clientId, clientAuthMethod }) as unknown as Client;

describe('introspection by resource servers', () => {
  const resources: Record<string, { introspectionClients: string[] }> = {
    'https://orders.example': { introspectionClients: ['orders-api'] },
    'https://billing.example': { introspectionClients: [] },
  };
  const mayIntrospectFor = introspectionByResourceServers(async (identifier) => resources[identifier] ?? null);

  it('lets a named confidential client see tokens for its resource, as aud string or array', async () => {
    expect(await mayIntrospectFor(client('orders-api'), 'https://orders.example')).toBe(true);
    expect(await mayIntrospectFor(client('orders-api'), ['https://billing.example', 'https://orders.example'])).toBe(
      true,
    );
  });

  it('refuses clients not named, other audiences, no audience, and public clients even when named', async () => {
    expect(await mayIntrospectFor(client('billing-api'), 'https://orders.example')).toBe(false);
    expect(await mayIntrospectFor(client('orders-api'), 'https://billing.example')).toBe(false);
    expect(await mayIntrospectFor(client('orders-api'), 'https://unknown.example')).toBe(false);
    expect(await mayIntrospectFor(client('orders-api'), undefined)).toBe(false);
    expect(await mayIntrospectFor(client('orders-api'), [42])).toBe(false);
    expect(await mayIntrospectFor(client('orders-api', 'none'), 'https://orders.example')).toBe(false);
  });
});
