/**
 * Who may import whom: each library and the libraries it may import. The one source of
 * this table: .dependency-cruiser.cjs enforces it (npm run lint, and a unit test in
 * npm test), and docs/architecture.md draws it (the same test keeps the drawing equal).
 */
const LIBRARIES = {
  // Foundations: no library of ours below them.
  // Configuration: the only reader of the environment, loaded before anything else (tracing).
  config: [],
  platform: ['config'],
  pages: [],
  tenancy: ['platform'],
  // Domain: each owns its tables and services.
  audit: ['platform'],
  clients: ['platform', 'tenancy'],
  identity: ['platform', 'tenancy'],
  keys: ['platform', 'tenancy'],
  // Second factors belong to identity's users (their rows die with the user).
  mfa: ['platform', 'tenancy', 'identity'],
  // WebAuthn credentials belong to identity's users (their rows die with the user).
  passkeys: ['platform', 'tenancy', 'identity'],
  // Upstream identity providers: their links belong to identity's users (and die with them).
  federation: ['platform', 'tenancy', 'identity'],
  // Roles grant the permissions of the registry, which API resources' scopes are part of.
  rbac: ['platform', 'tenancy', 'clients'],
  sessions: ['platform', 'tenancy'],
  webhooks: ['platform', 'tenancy', 'audit'],
  // The protocol engine: the one library that knows oidc-provider.
  protocol: ['platform', 'pages', 'tenancy', 'audit', 'clients', 'identity', 'keys', 'rbac', 'sessions'],
  // Built on the engine.
  provisioning: ['platform', 'tenancy', 'clients', 'identity', 'keys', 'rbac', 'webhooks', 'protocol'],
  'api-rate-limits': ['platform', 'tenancy', 'protocol'],
  // HTTP surfaces, named for who uses them; none imports another.
  'sign-in': [
    'platform',
    'pages',
    'tenancy',
    'audit',
    'identity',
    'mfa',
    'passkeys',
    'federation',
    'sessions',
    'protocol',
  ],
  'account-api': [
    'platform',
    'tenancy',
    'audit',
    'identity',
    'mfa',
    'passkeys',
    'federation',
    'sessions',
    'protocol',
    'api-rate-limits',
  ],
  'admin-api': [
    'platform',
    'tenancy',
    'audit',
    'clients',
    'identity',
    'mfa',
    'passkeys',
    'federation',
    'rbac',
    'sessions',
    'webhooks',
    'protocol',
    'provisioning',
    'api-rate-limits',
  ],
  operations: ['platform', 'tenancy', 'audit'],
  // The publishable package for APIs that consume our tokens: none of our code inside.
  'resource-server': [],
  // Test helpers: start the whole app, so they may reach it.
  testing: ['platform'],
};

module.exports = { LIBRARIES };
