import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PasskeyEntity } from './passkey.entity.js';

/** A passkey as the account and admin APIs show it: never its key or counter. */
export class PasskeyDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Chrome on macOS' }) name: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({
    enum: ['singleDevice', 'multiDevice'],
    description: 'multiDevice: a synced passkey (backup eligible); singleDevice: bound to one authenticator',
  })
  deviceType: 'singleDevice' | 'multiDevice';
  @ApiProperty({ description: 'the passkey is backed up (synced) as last reported' }) backedUp: boolean;
  @ApiProperty({ type: [String], example: ['internal', 'hybrid'] }) transports: string[];
  @ApiProperty({ description: 'authenticator model (AAGUID); all zeros when the authenticator does not say' })
  aaguid: string;
}

export function passkeyDto(passkey: PasskeyEntity): PasskeyDto {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
    deviceType: passkey.backupEligible ? 'multiDevice' : 'singleDevice',
    backedUp: passkey.backedUp,
    transports: passkey.transports,
    aaguid: passkey.aaguid,
  };
}
