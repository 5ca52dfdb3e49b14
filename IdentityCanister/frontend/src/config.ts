// How the page learns its canister id and configuration: the canister rewrites `<body ` of every HTML asset into
// `<body data-canister-id="<id>" data-canister-config="<base64 Candid InternetIdentityInit>" ` (II's fixup_html).
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

/** What the frontend reads from InternetIdentityInit. */
export interface FrontendConfig {
  canisterId: Principal;
  fetchRootKey: boolean;
  /** Set in dummy-auth mode (II's dev builds): a software key instead of WebAuthn. */
  dummyAuth?: { promptForIndex: boolean };
  /** Whether the captcha is statically disabled (informational; the backend decides per registration). */
  captchaDisabled: boolean;
  relatedOrigins: string[];
  /** Where the config came from, shown on the error page when it is missing. */
  source: 'html' | 'query';
}

const CaptchaConfig = IDL.Record({
  max_unsolved_captchas: IDL.Nat64,
  captcha_trigger: IDL.Variant({
    Dynamic: IDL.Record({
      threshold_pct: IDL.Nat16,
      current_rate_sampling_interval_s: IDL.Nat64,
      reference_rate_sampling_interval_s: IDL.Nat64,
    }),
    Static: IDL.Variant({ CaptchaEnabled: IDL.Null, CaptchaDisabled: IDL.Null }),
  }),
});

/** The fields of InternetIdentityInit we use (II@HEAD names); Candid skips the others and defaults missing opts. */
export const InternetIdentityInit = IDL.Record({
  captcha_config: IDL.Opt(CaptchaConfig),
  related_origins: IDL.Opt(IDL.Vec(IDL.Text)),
  fetch_root_key: IDL.Opt(IDL.Bool),
  dummy_auth: IDL.Opt(IDL.Opt(IDL.Record({ prompt_for_index: IDL.Bool }))),
});

interface InitValue {
  captcha_config: [] | [{ captcha_trigger: { Static?: { CaptchaDisabled?: null } } }];
  related_origins: [] | [string[]];
  fetch_root_key: [] | [boolean];
  dummy_auth: [] | [[] | [{ prompt_for_index: boolean }]];
}

export class ConfigError extends Error {}

function decodeConfig(base64: string): InitValue {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  const [value] = IDL.decode([InternetIdentityInit], bytes) as unknown as [InitValue];
  return value;
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '0.0.0.0';
}

function parsePrincipal(text: string | null | undefined): Principal | undefined {
  if (!text) {
    return undefined;
  }
  try {
    return Principal.fromText(text);
  } catch {
    return undefined;
  }
}

/** Reads the canister id and config; without the body attributes falls back to `?canisterId=` (local hosts only). */
export function readConfig(doc: Document = document, loc: Location = location): FrontendConfig {
  const body = doc.body;
  const fromHtml = parsePrincipal(body.dataset.canisterId);
  const configText = body.dataset.canisterConfig;
  if (fromHtml && configText) {
    let value: InitValue;
    try {
      value = decodeConfig(configText);
    } catch (e) {
      throw new ConfigError(`The canister config in this page could not be read (${String(e)}). Reload the page; if it stays, the canister serves a broken page.`);
    }
    const dummy = value.dummy_auth[0]?.[0];
    return {
      canisterId: fromHtml,
      fetchRootKey: value.fetch_root_key[0] === true,
      dummyAuth: dummy ? { promptForIndex: dummy.prompt_for_index } : undefined,
      captchaDisabled: value.captcha_config[0]?.captcha_trigger.Static?.CaptchaDisabled !== undefined,
      relatedOrigins: value.related_origins[0] ?? [],
      source: 'html',
    };
  }
  // Opened from a dev server or a plain file server: no fixup. Accept ?canisterId= or the first host label on local hosts.
  const params = new URLSearchParams(loc.search);
  const id = fromHtml ?? parsePrincipal(params.get('canisterId')) ?? parsePrincipal(loc.hostname.split('.')[0]);
  if (!id || !isLocalHost(loc.hostname)) {
    throw new ConfigError('This page did not come with its canister id and configuration. Open Internet Identity through the '
      + 'local network\'s gateway, e.g. http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:4943/ or http://127.0.0.1:4943/?canisterId=rdmx6-jaaaa-aaaaa-aaadq-cai.');
  }
  return {
    canisterId: id,
    fetchRootKey: true,
    dummyAuth: params.get('dummy_auth') === 'true' ? { promptForIndex: false } : undefined,
    captchaDisabled: false,
    relatedOrigins: [],
    source: 'query',
  };
}

/** II's inferHost: official domains talk to the boundary nodes, every other host to its own origin. */
export function inferHost(loc: Location = location): string {
  const h = loc.hostname;
  const official = ['ic0.app', 'icp0.io', 'internetcomputer.org', 'id.ai'];
  if (official.some(d => h === d || h.endsWith('.' + d))) {
    return 'https://icp-api.io';
  }
  return `${loc.protocol}//${loc.host}`;
}
