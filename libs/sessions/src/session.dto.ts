import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { deviceName } from './device-name.js';
import type { SessionRecordEntity } from './session-record.entity.js';

/** A session as the admin and account APIs show it. */
export class SessionDto {
  @ApiProperty({ description: 'the session id (public; not the cookie value)' }) id: string;
  @ApiProperty({ type: [String], description: 'client ids signed into with this session' }) clients: string[];
  @ApiPropertyOptional() ip: string | null;
  @ApiPropertyOptional() userAgent: string | null;
  @ApiProperty({ example: 'Firefox 133 on Windows 10', description: 'readable name parsed from the user agent' })
  device: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() lastSeenAt: string;
  @ApiProperty() expiresAt: string;
}

export function sessionDto(record: SessionRecordEntity): SessionDto {
  return {
    id: record.uid,
    clients: record.clientIds,
    ip: record.ip,
    userAgent: record.userAgent,
    device: deviceName(record.userAgent),
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
  };
}
