import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../app/console-context';
import type { Page } from './http';

/** The tenant of the current screen (`/t/:slug/...`), URL-encoded for API paths. */
export function useTenantSlug(): string {
  const { slug } = useParams();
  if (!slug) throw new Error('no tenant in the route');
  return slug;
}

export function tenantPath(slug: string, rest = ''): string {
  return `/tenants/${encodeURIComponent(slug)}${rest}`;
}

/** A page of a list resource; the query key carries every parameter, so pages cache apart. */
export function usePage<T>(path: string, query: Record<string, string | number | undefined> = {}) {
  const api = useApi();
  return useQuery({
    queryKey: [path, query],
    queryFn: () => api.get<Page<T>>(path, query),
    placeholderData: (previous) => previous,
  });
}

export function useResource<T>(path: string, enabled = true) {
  const api = useApi();
  return useQuery({ queryKey: [path], queryFn: () => api.get<T>(path), enabled });
}

/** A change through the API; `method` and `path` may depend on the variables. */
export function useApiMutation<V = void, R = unknown>(
  method: string,
  path: string | ((variables: V) => string),
  body?: (variables: V) => unknown,
) {
  const api = useApi();
  return useMutation<R, Error, V>({
    mutationFn: (variables) =>
      api.request<R>(method, typeof path === 'function' ? path(variables) : path, {
        body: body ? body(variables) : undefined,
      }),
  });
}
