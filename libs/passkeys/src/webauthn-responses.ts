import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { PasskeyRejectedError } from './passkey-rejected.error.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function base64url(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && BASE64URL.test(value);
}

function shapeOf(value: unknown): { id: string; response: Record<string, unknown> } {
  if (!isObject(value) || value.type !== 'public-key' || !base64url(value.id, 1400) || !isObject(value.response))
    throw new PasskeyRejectedError('malformed');
  if (value.rawId !== undefined && value.rawId !== value.id) throw new PasskeyRejectedError('malformed');
  if (!base64url(value.response.clientDataJSON, 4096)) throw new PasskeyRejectedError('malformed');
  return { id: value.id, response: value.response };
}

/** What `navigator.credentials.create()` answered, as @simplewebauthn/browser sends it; anything else is refused. */
export function registrationResponse(value: unknown): RegistrationResponseJSON {
  const { id, response } = shapeOf(value);
  if (!base64url(response.attestationObject, 32_768)) throw new PasskeyRejectedError('malformed');
  const transports = Array.isArray(response.transports)
    ? response.transports.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t))
    : [];
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: response.clientDataJSON as string,
      attestationObject: response.attestationObject as string,
      transports: transports as never,
    },
  };
}

/** What `navigator.credentials.get()` answered; anything else is refused. */
export function authenticationResponse(value: unknown): AuthenticationResponseJSON {
  const { id, response } = shapeOf(value);
  if (!base64url(response.authenticatorData, 8192) || !base64url(response.signature, 2048))
    throw new PasskeyRejectedError('malformed');
  const userHandle = response.userHandle;
  if (userHandle !== undefined && userHandle !== null && userHandle !== '' && !base64url(userHandle, 128))
    throw new PasskeyRejectedError('malformed');
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: response.clientDataJSON as string,
      authenticatorData: response.authenticatorData as string,
      signature: response.signature as string,
      ...(typeof userHandle === 'string' && userHandle ? { userHandle } : {}),
    },
  };
}

/** The challenge the browser signed, read from clientDataJSON (verified again by simplewebauthn). */
export function challengeOf(clientDataJSON: string): string {
  try {
    const challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown })
      .challenge;
    if (typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(challenge)) return challenge;
  } catch {
    // not JSON: refused below
  }
  throw new PasskeyRejectedError('malformed');
}

/** The WebAuthn user handle of one of our users: the 16 bytes of its id (no name, no e-mail). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}
