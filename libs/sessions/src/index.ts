export * from './session-record.entity.js';
export * from './sessions.module.js';
export * from './sessions.service.js';
export * from './device-name.js';
export * from './session-termination.service.js';
export * from './session.dto.js';
