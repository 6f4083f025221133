import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue> | { [key: string]: CborValue };

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys. */
export function cbor(value: CborValue): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
  backupEligible: boolean;
}

export interface CeremonyOptions {
  /** Where the browser says the ceremony ran (clientDataJSON.origin). */
  origin: string;
  /** The relying-party id hashed into authenticatorData (default: the options' one). */
  rpId?: string;
  userVerified?: boolean;
  /** The key a new credential gets (default ES256). */
  keyAlgorithm?: 'ES256' | 'ES384';
}

/**
 * A WebAuthn authenticator in the test process (ES256 keys from node:crypto, "none"
 * attestation): it answers registration and sign-in options the way a browser with a
 * platform authenticator would, and can be told to lie (origin, relying party, counter) or
 * be cloned, so the server's checks can be proven from outside.
 */
export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  /** `counts: false` reports 0 every time, as synced passkeys do. */
  constructor(private readonly traits: { backupEligible?: boolean; counts?: boolean } = {}) {}

  /** Another authenticator holding copies of the same keys and counters (a cloned device). */
  clone(): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator(this.traits);
    copy.credentials.push(...this.credentials.map((c) => ({ ...c })));
    return copy;
  }

  /** Answers `navigator.credentials.create()` options (RegistrationResponseJSON). */
  createCredential(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    ceremony: CeremonyOptions,
  ) {
    const rpId = ceremony.rpId ?? options.rp.id!;
    // COSE: ES256 on P-256 (curve 1), or ES384 on P-384 (curve 2) — a key the server did not offer.
    const p384 = ceremony.keyAlgorithm === 'ES384';
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: p384 ? 'P-384' : 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<CborValue, CborValue>([
      [1, 2],
      [3, p384 ? -35 : -7],
      [-1, p384 ? 2 : 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const id = randomBytes(32);
    const credential: StoredCredential = {
      id,
      privateKey,
      rpId: options.rp.id!,
      userHandle: options.user.id,
      counter: 0,
      backupEligible: !!this.traits.backupEligible,
    };
    this.credentials.push(credential);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), length, id, cbor(coseKey)]);
    const authData = this.authenticatorData(rpId, credential, ceremony.userVerified ?? true, 0x40, attested);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, ceremony.origin);
    return {
      id: id.toString('base64url'),
      rawId: id.toString('base64url'),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: cbor({ fmt: 'none', attStmt: {}, authData }).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** Answers `navigator.credentials.get()` options (AuthenticationResponseJSON) with one of its credentials. */
  getAssertion(
    options: { challenge: string; rpId?: string; allowCredentials?: { id: string }[] },
    ceremony: CeremonyOptions & { credentialId?: string; counter?: number },
  ) {
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.credentials.find((c) =>
      ceremony.credentialId
        ? c.id.toString('base64url') === ceremony.credentialId
        : !allowed.size || allowed.has(c.id.toString('base64url')),
    );
    if (!credential) throw new Error('the software authenticator holds no matching credential');
    if (ceremony.counter !== undefined) credential.counter = ceremony.counter;
    else if (this.traits.counts !== false) credential.counter += 1;
    const authData = this.authenticatorData(
      ceremony.rpId ?? options.rpId ?? credential.rpId,
      credential,
      ceremony.userVerified ?? true,
      0,
    );
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, ceremony.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id.toString('base64url'),
      rawId: credential.id.toString('base64url'),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  private authenticatorData(
    rpId: string,
    credential: StoredCredential,
    userVerified: boolean,
    extraFlags: number,
    attested = Buffer.alloc(0),
  ): Buffer {
    const backup = credential.backupEligible ? 0x08 | 0x10 : 0;
    const flags = 0x01 | (userVerified ? 0x04 : 0) | backup | extraFlags;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter, attested]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
