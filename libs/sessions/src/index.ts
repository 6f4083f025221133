export * from './session-record.entity.js';
export * from './sessions.module.js';
export * from './sessions.service.js';
export * from './device-name.js';
