import { growingLru } from '@app/platform';
import type { TenantProvider } from './provider-factory.js';

/**
 * oidc-provider turns adapter-loaded client metadata into a Client on every lookup (it
 * serializes and hashes the metadata to find its cached instance), and the token,
 * introspection and revocation endpoints each look the client up. A runtime is rebuilt
 * whenever one of its tenant's clients changes, so its Client instances can live as long
 * as it does; unknown ids are remembered too, like the metadata cache below them.
 */
export function reuseClientInstances(provider: TenantProvider['provider']): void {
  const clients = provider.Client;
  const load = clients.find.bind(clients);
  const instances = growingLru<string, ReturnType<typeof load>>(5000);
  clients.find = (id: string) => {
    if (typeof id !== 'string') return load(id);
    let found = instances.get(id);
    if (!found) {
      found = load(id);
      instances.set(id, found);
      found.catch(() => instances.delete(id));
    }
    return found;
  };
}
