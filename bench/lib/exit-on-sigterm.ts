// Preloaded into our server only with --profile: exit normally on SIGTERM so that
// --cpu-prof writes its profile (the signal Nest re-raises after shutdown would skip it).
process.once('SIGTERM', () => process.exit(0));
