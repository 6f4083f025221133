// oidc-provider warns on every import that Node 20 is not its preferred LTS (harmless here,
// see DESIGN.md); drop exactly that line so test output shows what matters.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};
