// Passkeys as II uses them: creation options (spec §3.3), the COSE key wrapped in DER (OID 1.3.6.1.4.1.56387.1.1), and
// signatures as CBOR tag 55799 { authenticator_data, client_data_json, signature } (spec §5.4).
import { Cbor, DER_COSE_OID, SignIdentity, wrapDER, type DerEncodedPublicKey, type PublicKey, type Signature } from '@dfinity/agent';

export interface NewPasskey {
  pubkey: Uint8Array;
  credentialId: Uint8Array;
  aaguid?: Uint8Array;
  attachment?: 'platform' | 'cross-platform';
}

function random(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A copy backed by a plain ArrayBuffer (what the WebAuthn API types ask for). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function toBytes(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The end offset of the CBOR data item starting at `pos` (enough of CBOR to cut the COSE key out of authData). */
export function cborItemEnd(bytes: Uint8Array, pos: number): number {
  const ib = bytes[pos];
  if (ib === undefined) {
    throw new Error('truncated CBOR');
  }
  const major = ib >> 5;
  const info = ib & 0x1f;
  let p = pos + 1;
  let arg: number;
  if (info < 24) {
    arg = info;
  } else if (info <= 27) {
    const len = 1 << (info - 24);
    arg = 0;
    for (let i = 0; i < len; i++) {
      arg = arg * 256 + (bytes[p + i] ?? 0);
    }
    p += len;
  } else {
    throw new Error('indefinite-length CBOR is not expected in a COSE key');
  }
  switch (major) {
    case 0: case 1: case 7: return p;
    case 2: case 3: return p + arg;
    case 4: for (let i = 0; i < arg; i++) { p = cborItemEnd(bytes, p); } return p;
    case 5: for (let i = 0; i < 2 * arg; i++) { p = cborItemEnd(bytes, p); } return p;
    case 6: return cborItemEnd(bytes, p);
    default: throw new Error('bad CBOR');
  }
}

/** Splits authenticator data (with attested credential data) into credential id, AAGUID and the DER-wrapped COSE key. */
export function parseAuthData(authData: Uint8Array): { credentialId: Uint8Array; aaguid: Uint8Array; pubkey: Uint8Array } {
  if (authData.length < 55 || (authData[32]! & 0x40) === 0) {
    throw new Error('the authenticator returned no attested credential data');
  }
  const aaguid = authData.slice(37, 53);
  const idLen = (authData[53]! << 8) | authData[54]!;
  const credentialId = authData.slice(55, 55 + idLen);
  const coseStart = 55 + idLen;
  const cose = authData.slice(coseStart, cborItemEnd(authData, coseStart));
  return { credentialId, aaguid, pubkey: toBytes(wrapDER(cose, DER_COSE_OID)) };
}

/** Creates a passkey with II's options; `exclude` are the anchor's existing credential ids. */
export async function createPasskey(exclude: Uint8Array[] = []): Promise<NewPasskey> {
  const cred = await navigator.credentials.create({
    publicKey: {
      rp: { name: 'Internet Identity Service' },
      user: { id: random(16), name: 'Internet Identity', displayName: 'Internet Identity' },
      challenge: random(16),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
      attestation: 'direct',
      authenticatorSelection: { userVerification: 'preferred' },
      excludeCredentials: exclude.map(id => ({ type: 'public-key' as const, id: own(id) })),
    },
  }) as PublicKeyCredential | null;
  if (!cred || cred.type !== 'public-key') {
    throw new DOMException('No passkey was created', 'NotAllowedError');
  }
  const response = cred.response as AuthenticatorAttestationResponse;
  const att = Cbor.decode(new Uint8Array(response.attestationObject)) as { authData: Uint8Array };
  const parsed = parseAuthData(toBytes(att.authData));
  const zero = parsed.aaguid.every(b => b === 0);
  const attachment = cred.authenticatorAttachment === 'platform' || cred.authenticatorAttachment === 'cross-platform'
    ? cred.authenticatorAttachment : undefined;
  return { pubkey: parsed.pubkey, credentialId: toBytes(cred.rawId), aaguid: zero ? undefined : parsed.aaguid, attachment };
}

/** II's alias for a new passkey. */
export function passkeyAlias(p: NewPasskey): string {
  if (p.attachment === 'cross-platform') {
    return 'FIDO Passkey';
  }
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : undefined;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : undefined;
  if (browser && os) {
    return `${browser} on ${os}`;
  }
  return 'Unnamed Passkey';
}

/** A DER public key as the agent's PublicKey. */
export function derPublicKey(der: Uint8Array): PublicKey {
  const key = der as DerEncodedPublicKey;
  return { derKey: key, toDer: () => key } as PublicKey;
}

/**
 * Signs with any of the anchor's passkeys (allowCredentials = all of them); the public key is known once the
 * browser says which passkey signed, as in II's MultiWebAuthnIdentity.
 */
export class PasskeyIdentity extends SignIdentity {
  private used?: { credentialId: Uint8Array; pubkey: Uint8Array };

  constructor(private readonly credentials: Array<{ credentialId: Uint8Array; pubkey: Uint8Array }>) {
    super();
  }

  /** The device key that signed (after sign()). */
  usedPubkey(): Uint8Array | undefined {
    return this.used?.pubkey;
  }

  getPublicKey(): PublicKey {
    if (!this.used) {
      throw new Error('the passkey is known only after signing');
    }
    return derPublicKey(this.used.pubkey);
  }

  async sign(blob: Uint8Array): Promise<Signature> {
    const result = await navigator.credentials.get({
      publicKey: {
        allowCredentials: this.credentials.map(c => ({ type: 'public-key' as const, id: own(c.credentialId) })),
        challenge: own(blob),
        userVerification: 'preferred',
      },
    }) as PublicKeyCredential | null;
    if (!result) {
      throw new DOMException('No passkey was used', 'NotAllowedError');
    }
    const rawId = toBytes(result.rawId);
    const match = this.credentials.find(c => c.credentialId.length === rawId.length && c.credentialId.every((b, i) => b === rawId[i]));
    if (!match) {
      throw new Error('The browser used a passkey that does not belong to this identity.');
    }
    this.used = match;
    const response = result.response as AuthenticatorAssertionResponse;
    return Cbor.encode({
      authenticator_data: toBytes(response.authenticatorData),
      client_data_json: new TextDecoder().decode(response.clientDataJSON),
      signature: toBytes(response.signature),
    }) as Signature;
  }
}
