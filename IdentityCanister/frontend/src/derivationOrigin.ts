// derivationOrigin validation (spec §2, II's validateDerivationOrigin): the derivation origin's canister must list the
// requesting origin in /.well-known/ii-alternative-origins.
import { Principal } from '@dfinity/principal';

const MAX_ALTERNATIVE_ORIGINS = 10;

/** II maps https://<x>.icp0.io to https://<x>.ic0.app so both domains give the same principals. */
export function remapToLegacyDomain(origin: string): string {
  const m = /^https:\/\/([\w-]+(?:\.raw)?)\.icp0\.io$/.exec(origin);
  return m ? `https://${m[1]}.ic0.app` : origin;
}

/** "https://x.com/" (a URL object's text, as auth-client 3.4.3 sends it) means the origin "https://x.com". */
export function normalizeOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.origin === text || (`${url.origin}/` === text)) {
      return url.origin;
    }
  } catch {
    // Not a URL.
  }
  return undefined;
}

export type DerivationResult = { ok: true; origin: string } | { ok: false; message: string };

async function canisterIdOf(origin: string): Promise<Principal | string> {
  const url = new URL(origin);
  const labels = url.hostname.split('.');
  if (labels.length >= 2 && ['ic0.app', 'icp0.io', 'internetcomputer.org', 'localhost'].some(d => url.hostname.endsWith(d))) {
    try {
      return Principal.fromText(labels[0]!);
    } catch {
      return `${labels[0]} in ${origin} is not a canister id`;
    }
  }
  try {
    const response = await fetch(origin, { method: 'HEAD', redirect: 'error', credentials: 'omit' });
    const header = response.headers.get('x-ic-canister-id');
    if (!header) {
      return `${origin} did not name its canister (no x-ic-canister-id header)`;
    }
    return Principal.fromText(header);
  } catch (e) {
    return `could not resolve the canister of ${origin}: ${String(e)}`;
  }
}

/** Where II fetches the alternative-origins file of `canisterId` from, for a page at `loc`. */
export function alternativeOriginsUrl(canisterId: string, loc: Location = location): string {
  const host = loc.hostname;
  const path = '/.well-known/ii-alternative-origins';
  if (['icp0.io', 'ic0.app', 'internetcomputer.org'].some(d => host === d || host.endsWith('.' + d))) {
    return `https://${canisterId}.icp0.io${path}`;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return `${loc.protocol}//localhost${loc.port ? ':' + loc.port : ''}${path}?canisterId=${canisterId}`;
  }
  if (host === '127.0.0.1' || host === '0.0.0.0') {
    return `${loc.protocol}//${loc.host}${path}?canisterId=${canisterId}`;
  }
  return `https://${canisterId}.icp0.io${path}`;
}

/** Decides which origin the principal is derived from. */
export async function validateDerivationOrigin(requestOrigin: string, derivationOrigin?: string): Promise<DerivationResult> {
  const request = remapToLegacyDomain(requestOrigin);
  if (derivationOrigin === undefined) {
    return { ok: true, origin: request };
  }
  const normalized = normalizeOrigin(derivationOrigin);
  if (normalized === undefined) {
    return { ok: false, message: `"${derivationOrigin}" is not an origin (scheme://host[:port])` };
  }
  const derivation = remapToLegacyDomain(normalized);
  if (derivation === request) {
    return { ok: true, origin: request };
  }
  const canisterId = await canisterIdOf(normalized);
  if (typeof canisterId === 'string') {
    return { ok: false, message: canisterId };
  }
  const url = alternativeOriginsUrl(canisterId.toText());
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', headers: { Accept: 'application/json' }, credentials: 'omit' });
  } catch (e) {
    return { ok: false, message: `could not fetch ${url}: ${String(e)}` };
  }
  if (response.status !== 200) {
    return { ok: false, message: `${url} answered with status ${response.status}, not 200` };
  }
  let list: unknown;
  try {
    list = ((await response.json()) as { alternativeOrigins?: unknown }).alternativeOrigins;
  } catch {
    return { ok: false, message: `${url} is not JSON` };
  }
  if (!Array.isArray(list)) {
    return { ok: false, message: `${url} has no alternativeOrigins list` };
  }
  if (list.length > MAX_ALTERNATIVE_ORIGINS) {
    return { ok: false, message: `${url} lists ${list.length} origins, more than ${MAX_ALTERNATIVE_ORIGINS}` };
  }
  if (!list.some(o => typeof o === 'string' && remapToLegacyDomain(o) === request)) {
    return { ok: false, message: `${requestOrigin} is not listed in ${url}` };
  }
  return { ok: true, origin: derivation };
}
