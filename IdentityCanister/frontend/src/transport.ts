// The two ways a dapp asks for a delegation, both accepted on /#authorize and /authorize:
// - legacy postMessage (@dfinity/auth-client): "authorize-ready" -> "authorize-client" -> success / failure;
// - ICRC-25/29/34/95 JSON-RPC over postMessage (@icp-sdk/auth): icrc29_status heartbeats, then icrc34_delegation.
// Replies (including failures) go to the requester's origin.
import type { SignedDelegation } from './idl';

export interface AuthRequest {
  protocol: 'legacy' | 'icrc';
  /** The dapp's origin (event.origin). */
  origin: string;
  sessionPublicKey: Uint8Array;
  maxTimeToLive?: bigint;
  derivationOrigin?: string;
}

export interface Channel {
  request: AuthRequest;
  succeed(userPublicKey: Uint8Array, delegation: SignedDelegation, authnMethod: string): void;
  fail(text: string): void;
}

const ESTABLISH_TIMEOUT_MS = 10_000;

const STANDARDS = ['ICRC-25', 'ICRC-29', 'ICRC-34', 'ICRC-95'].map(name => ({
  name, url: `https://github.com/dfinity/ICRC/blob/main/ICRCs/${name}/${name}.md`,
}));

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    s += String.fromCharCode(b);
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), c => c.charCodeAt(0));
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') {
    return v >= 0n ? v : undefined;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
    return BigInt(v);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) {
    return BigInt(v);
  }
  return undefined;
}

export class InvalidRequest extends Error {}

/** Reads an "authorize-client" message (sessionPublicKey as Uint8Array or base64; TTL as bigint, number or string). */
export function parseLegacyRequest(data: Record<string, unknown>, origin: string): AuthRequest {
  const key = data.sessionPublicKey;
  const sessionPublicKey = key instanceof Uint8Array ? key : typeof key === 'string' ? fromBase64(key) : undefined;
  if (!sessionPublicKey || sessionPublicKey.length === 0) {
    throw new InvalidRequest('sessionPublicKey must be the DER-encoded session public key (Uint8Array)');
  }
  let maxTimeToLive: bigint | undefined;
  if (data.maxTimeToLive !== undefined) {
    maxTimeToLive = toBigInt(data.maxTimeToLive);
    if (maxTimeToLive === undefined) {
      throw new InvalidRequest('maxTimeToLive must be a non-negative number of nanoseconds');
    }
  }
  if (data.derivationOrigin !== undefined && typeof data.derivationOrigin !== 'string') {
    throw new InvalidRequest('derivationOrigin must be a string');
  }
  return { protocol: 'legacy', origin, sessionPublicKey, maxTimeToLive, derivationOrigin: data.derivationOrigin as string | undefined };
}

/** Reads icrc34_delegation params: {publicKey: base64 DER, maxTimeToLive?: decimal string, icrc95DerivationOrigin?}. */
export function parseIcrc34Params(params: unknown, origin: string): AuthRequest {
  const p = (params ?? {}) as Record<string, unknown>;
  if (typeof p.publicKey !== 'string') {
    throw new InvalidRequest('params.publicKey must be the base64 DER session public key');
  }
  let sessionPublicKey: Uint8Array;
  try {
    sessionPublicKey = fromBase64(p.publicKey);
  } catch {
    throw new InvalidRequest('params.publicKey is not base64');
  }
  let maxTimeToLive: bigint | undefined;
  if (p.maxTimeToLive !== undefined) {
    maxTimeToLive = toBigInt(p.maxTimeToLive);
    if (maxTimeToLive === undefined) {
      throw new InvalidRequest('params.maxTimeToLive must be a decimal string of nanoseconds');
    }
  }
  if (p.icrc95DerivationOrigin !== undefined && typeof p.icrc95DerivationOrigin !== 'string') {
    throw new InvalidRequest('params.icrc95DerivationOrigin must be a string');
  }
  return { protocol: 'icrc', origin, sessionPublicKey, maxTimeToLive, derivationOrigin: p.icrc95DerivationOrigin as string | undefined };
}

interface RpcRequest {
  jsonrpc: '2.0';
  id?: string | number;
  method: string;
  params?: unknown;
}

function isRpcRequest(data: unknown): data is RpcRequest {
  const d = data as RpcRequest | null;
  return typeof d === 'object' && d !== null && d.jsonrpc === '2.0' && typeof d.method === 'string';
}

export interface PendingChannel {
  /** Resolves with the first delegation request, rejects when no dapp spoke within 10 s. */
  channel: Promise<Channel>;
  /** Called when the first request could not be parsed (legacy): the error page needs the reason. */
  invalid: Promise<{ origin: string; message: string }>;
}

/** Starts listening (call at boot, before any await, so no early message is lost). */
export function listenForRequest(win: Window = window): PendingChannel {
  let resolveChannel!: (c: Channel) => void;
  let rejectChannel!: (e: Error) => void;
  let resolveInvalid!: (v: { origin: string; message: string }) => void;
  const channel = new Promise<Channel>((res, rej) => { resolveChannel = res; rejectChannel = rej; });
  const invalid = new Promise<{ origin: string; message: string }>(res => { resolveInvalid = res; });
  let established = false;
  let requested = false;
  let icrcPeer: { origin: string; source: MessageEventSource } | undefined;

  const timer = setTimeout(() => {
    if (!established) {
      rejectChannel(new Error('no request'));
    }
  }, ESTABLISH_TIMEOUT_MS);
  const establish = () => {
    established = true;
    clearTimeout(timer);
  };

  const rpcReply = (id: string | number | undefined, body: { result: unknown } | { error: { code: number; message: string } }) => {
    if (icrcPeer && id !== undefined) {
      (icrcPeer.source as Window).postMessage({ jsonrpc: '2.0', id, ...body }, icrcPeer.origin);
    }
  };

  win.addEventListener('message', (event: MessageEvent) => {
    if (event.origin === win.location.origin || event.source === null) {
      return; // our own origin (e.g. browser extensions) never asks for a delegation
    }
    const data = event.data as unknown;
    if (isRpcRequest(data)) {
      if (!icrcPeer) {
        if (data.method !== 'icrc29_status' || requested) {
          return;
        }
        icrcPeer = { origin: event.origin, source: event.source };
        establish();
      }
      if (event.origin !== icrcPeer.origin || event.source !== icrcPeer.source) {
        return;
      }
      switch (data.method) {
        case 'icrc29_status':
          rpcReply(data.id, { result: 'ready' });
          return;
        case 'icrc25_supported_standards':
          rpcReply(data.id, { result: { supportedStandards: STANDARDS } });
          return;
        case 'icrc25_permissions':
        case 'icrc25_request_permissions':
          rpcReply(data.id, { result: { scopes: [{ scope: { method: 'icrc34_delegation' }, state: 'granted' }] } });
          return;
        case 'icrc34_delegation': {
          if (requested) {
            rpcReply(data.id, { error: { code: 1000, message: 'Only one delegation per window: close it and sign in again.' } });
            return;
          }
          let request: AuthRequest;
          try {
            request = parseIcrc34Params(data.params, event.origin);
          } catch (e) {
            rpcReply(data.id, { error: { code: -32602, message: `Invalid params: ${(e as Error).message}` } });
            return;
          }
          requested = true;
          const id = data.id;
          resolveChannel({
            request,
            succeed: (userPublicKey, d) => rpcReply(id, {
              result: {
                publicKey: toBase64(userPublicKey),
                signerDelegation: [{
                  delegation: {
                    pubkey: toBase64(d.delegation.pubkey),
                    expiration: d.delegation.expiration.toString(),
                    ...(d.delegation.targets.length === 1 ? { targets: d.delegation.targets[0].map(t => t.toText()) } : {}),
                  },
                  signature: toBase64(d.signature),
                }],
              },
            }),
            fail: text => rpcReply(id, { error: { code: 1000, message: text } }),
          });
          return;
        }
        default:
          rpcReply(data.id, { error: { code: -32601, message: `Method not supported: ${data.method}` } });
          return;
      }
    }
    const legacy = data as Record<string, unknown> | null;
    if (requested || icrcPeer || typeof legacy !== 'object' || legacy === null || legacy.kind !== 'authorize-client'
      || event.source !== win.opener) {
      return;
    }
    requested = true;
    establish();
    const origin = event.origin;
    const opener = win.opener as Window;
    const fail = (text: string) => opener.postMessage({ kind: 'authorize-client-failure', text }, origin);
    let request: AuthRequest;
    try {
      request = parseLegacyRequest(legacy, origin);
    } catch (e) {
      fail(`Invalid request: ${(e as Error).message}`);
      resolveInvalid({ origin, message: (e as Error).message });
      return;
    }
    resolveChannel({
      request,
      succeed: (userPublicKey, d, authnMethod) => opener.postMessage({
        kind: 'authorize-client-success',
        delegations: [{
          delegation: {
            pubkey: d.delegation.pubkey,
            expiration: d.delegation.expiration,
            targets: d.delegation.targets.length === 1 ? d.delegation.targets[0] : undefined,
          },
          signature: d.signature,
        }],
        userPublicKey,
        authnMethod,
      }, origin),
      fail,
    });
  });

  if (win.opener) {
    // The opener's origin cannot be read yet; nothing secret is sent.
    (win.opener as Window).postMessage({ kind: 'authorize-ready' }, '*');
  }
  return { channel, invalid };
}
