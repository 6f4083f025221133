// The test toolbox: every helper here exists for tests, so all of it is exported.
export * from './browserless-agent.js';
export * from './real-services.js';
export * from './test-server.js';
export * from './adapter-contract.js';
export * from './test.config.js';
export * from './cuttable-proxy.js';
export * from './mail-catcher.js';
export * from './built-server.js';
export * from './software-authenticator.js';
