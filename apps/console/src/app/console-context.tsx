import { createContext, useContext, useSyncExternalStore } from 'react';
import { AdminApi } from '../api/http';
import { OidcClient } from '../auth/oidc-client';
import type { Principal } from '../auth/principal';
import { ConsoleSession, type SessionState } from '../auth/session';
import type { ConsoleLocations } from '../lib/locations';

/** Everything a screen needs from outside React: where things are, the session, the API. */
export interface ConsoleServices {
  at: ConsoleLocations;
  oidc: OidcClient;
  session: ConsoleSession;
  api: AdminApi;
}

export function createServices(at: ConsoleLocations): ConsoleServices {
  const oidc = new OidcClient(at);
  const session = new ConsoleSession(oidc);
  return { at, oidc, session, api: new AdminApi(at.adminApi, session) };
}

const ConsoleContext = createContext<ConsoleServices | null>(null);
export const ConsoleProvider = ConsoleContext.Provider;

export function useConsole(): ConsoleServices {
  const services = useContext(ConsoleContext);
  if (!services) throw new Error('useConsole outside ConsoleProvider');
  return services;
}

export function useSessionState(): SessionState {
  const { session } = useConsole();
  return useSyncExternalStore(session.subscribe, session.snapshot);
}

/** The signed-in principal; screens below the session gate may rely on it. */
export function usePrincipal(): Principal {
  const state = useSessionState();
  if (state.status !== 'signed-in') throw new Error('usePrincipal while signed out');
  return state.principal;
}

export function useApi(): AdminApi {
  return useConsole().api;
}
