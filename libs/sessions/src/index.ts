export { deviceName } from './device-name.js';
export { SessionRecordEntity } from './session-record.entity.js';
export { SessionTerminationService } from './session-termination.service.js';
export { SessionDto, sessionDto } from './session.dto.js';
export { SessionsModule } from './sessions.module.js';
export { SessionsService } from './sessions.service.js';
export type { RequestInfo, SessionPayload } from './sessions.service.js';
