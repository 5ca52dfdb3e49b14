// Talking to the II canister: one agent per identity (root key fetched once), and the signed-in session.
import { Actor, HttpAgent, type Identity, type SignIdentity } from '@dfinity/agent';
import { DelegationChain, DelegationIdentity, ECDSAKeyIdentity, Ed25519KeyIdentity } from '@dfinity/identity';
import { inferHost, type FrontendConfig } from './config';
import { idlFactory, type DeviceData, type IIService } from './idl';

/** How the user proved control of the anchor. */
export type AuthnMethod = 'passkey' | 'recovery' | 'dummy' | 'registration';

/** A signed-in anchor: calls go out signed by a session key the device delegated to (or the registration temp key). */
export interface Session {
  anchor: bigint;
  actor: IIService;
  /** The device key that signed the session in (absent for a fresh registration's temp key). */
  devicePubkey?: Uint8Array;
  method: AuthnMethod;
}

export class Connection {
  private rootKey?: Uint8Array;

  constructor(readonly config: FrontendConfig) {}

  /** An agent for `identity` (anonymous when absent). */
  async agent(identity?: Identity): Promise<HttpAgent> {
    const fetchRootKey = this.config.fetchRootKey && this.rootKey === undefined;
    const agent = await HttpAgent.create({
      host: inferHost(),
      identity,
      rootKey: this.rootKey,
      shouldFetchRootKey: fetchRootKey,
    });
    if (fetchRootKey && agent.rootKey) {
      this.rootKey = agent.rootKey;
    }
    return agent;
  }

  async actor(identity?: Identity): Promise<IIService> {
    return Actor.createActor<IIService>(idlFactory, { agent: await this.agent(identity), canisterId: this.config.canisterId });
  }

  /** II's requestFEDelegation: the device signs a 10-minute delegation (targets = II) to a fresh session key. */
  async sessionFor(anchor: bigint, device: SignIdentity, method: AuthnMethod): Promise<Session> {
    const sessionKey = await ECDSAKeyIdentity.generate({ extractable: false });
    const chain = await DelegationChain.create(device, sessionKey.getPublicKey(), new Date(Date.now() + 10 * 60 * 1000), {
      targets: [this.config.canisterId],
    });
    const identity = DelegationIdentity.fromDelegation(sessionKey, chain);
    return { anchor, actor: await this.actor(identity), devicePubkey: new Uint8Array(device.getPublicKey().toDer()), method };
  }
}

/** II's dummy-auth identity: Ed25519 from a 32-byte seed (index as big-endian u64 in bytes 0-7), credential id = the seed. */
export function dummyIdentity(index = 0n): { identity: Ed25519KeyIdentity; credentialId: Uint8Array } {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setBigUint64(0, index);
  return { identity: Ed25519KeyIdentity.generate(seed), credentialId: seed };
}

/** Asks for the dummy seed index when the config says prompt_for_index (tests answer the dialog). */
export function dummyIndex(config: FrontendConfig): bigint {
  if (!config.dummyAuth?.promptForIndex) {
    return 0n;
  }
  const value = window.prompt('Enter seed index', '0')?.trim();
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new DOMException('Operation cancelled', 'NotAllowedError');
  }
  return BigInt(value);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The origin recorded with a device (the backend allows at most 50 bytes). */
export function deviceOrigin(): [] | [string] {
  return location.origin.length <= 50 ? [location.origin] : [];
}

/** A device record for `add` / `add_tentative_device`. */
export function authenticationDevice(alias: string, pubkey: Uint8Array, credentialId: Uint8Array, attachment?: string, aaguid?: Uint8Array): DeviceData {
  return {
    pubkey,
    alias,
    credential_id: [credentialId],
    aaguid: aaguid ? [aaguid] : [],
    purpose: { authentication: null },
    key_type: attachment === 'platform' ? { platform: null } : attachment === 'cross-platform' ? { cross_platform: null } : { unknown: null },
    protection: { unprotected: null },
    origin: deviceOrigin(),
    metadata: [],
  };
}
