// oidc-provider's own request storage (no public export; see provider/request-context.ts).
declare module 'oidc-provider/lib/helpers/als.js' {
  const storage: unknown;
  export default storage;
}
