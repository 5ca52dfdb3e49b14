// The part of internet_identity.did (IdentityCanister/Candid/internet_identity.did) this frontend calls.
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export type Variant<K extends string> = { [P in K]: Record<P, null> }[K];

export type MetadataMap = Array<[string, { map: MetadataMap } | { string: string } | { bytes: Uint8Array }]>;
export type MetadataMapV2 = Array<[string, { Map: MetadataMapV2 } | { String: string } | { Bytes: Uint8Array }]>;

export interface DeviceData {
  pubkey: Uint8Array;
  alias: string;
  credential_id: [] | [Uint8Array];
  aaguid: [] | [Uint8Array];
  purpose: Variant<'recovery' | 'authentication'>;
  key_type: Variant<'unknown' | 'platform' | 'cross_platform' | 'seed_phrase' | 'browser_storage_key'>;
  protection: Variant<'protected' | 'unprotected'>;
  origin: [] | [string];
  metadata: [] | [MetadataMap];
}

export interface DeviceWithUsage extends DeviceData {
  last_usage: [] | [bigint];
}

export interface IdentityAnchorInfo {
  devices: DeviceWithUsage[];
  device_registration: [] | [{ tentative_device: [] | [DeviceData]; tentative_session: [] | [Principal]; expiration: bigint }];
}

export interface AnchorCredentials {
  credentials: Array<{ credential_id: Uint8Array; pubkey: Uint8Array }>;
  recovery_credentials: Array<{ credential_id: Uint8Array; pubkey: Uint8Array }>;
  recovery_phrases: Uint8Array[];
}

export type NextStep = { CheckCaptcha: { captcha_png_base64: string } } | { Finish: null };

export interface AuthnMethodData {
  authn_method: { WebAuthn: { credential_id: Uint8Array; pubkey: Uint8Array; aaguid: [] | [Uint8Array] } } | { PubKey: { pubkey: Uint8Array } };
  security_settings: { protection: Variant<'Protected' | 'Unprotected'>; purpose: Variant<'Recovery' | 'Authentication'> };
  metadata: MetadataMapV2;
  last_authentication: [] | [bigint];
}

export interface SignedDelegation {
  delegation: { pubkey: Uint8Array; expiration: bigint; targets: [] | [Principal[]] };
  signature: Uint8Array;
}

type Result<T, E> = { Ok: T } | { Err: E };

/** The typed actor of the II canister (the methods the frontend calls). */
export interface IIService {
  identity_registration_start: () => Promise<Result<{ next_step: NextStep }, Variant<'InvalidCaller' | 'RateLimitExceeded' | 'AlreadyInProgress'>>>;
  check_captcha: (arg: { solution: string }) => Promise<Result<{ next_step: NextStep },
    { WrongSolution: { new_captcha_png_base64: string } } | { UnexpectedCall: { next_step: NextStep } } | { NoRegistrationFlow: null }>>;
  identity_registration_finish: (arg: { authn_method: AuthnMethodData; name: [] | [string] }) => Promise<Result<{ identity_number: bigint },
    { UnexpectedCall: { next_step: NextStep } } | { NoRegistrationFlow: null } | { InvalidAuthnMethod: string } | { StorageError: string }>>;
  lookup: (anchor: bigint) => Promise<DeviceData[]>;
  get_anchor_credentials: (anchor: bigint) => Promise<AnchorCredentials>;
  get_anchor_info: (anchor: bigint) => Promise<IdentityAnchorInfo>;
  add: (anchor: bigint, device: DeviceData) => Promise<void>;
  update: (anchor: bigint, pubkey: Uint8Array, device: DeviceData) => Promise<void>;
  remove: (anchor: bigint, pubkey: Uint8Array) => Promise<void>;
  enter_device_registration_mode: (anchor: bigint) => Promise<bigint>;
  exit_device_registration_mode: (anchor: bigint) => Promise<void>;
  add_tentative_device: (anchor: bigint, device: DeviceData) => Promise<
    | { added_tentatively: { verification_code: string; device_registration_timeout: bigint } }
    | { device_registration_mode_off: null }
    | { another_device_tentatively_added: null }
    | { passkey_with_this_public_key_is_already_used: null }>;
  verify_tentative_device: (anchor: bigint, code: string) => Promise<
    { verified: null } | { wrong_code: { retries_left: number } } | { device_registration_mode_off: null } | { no_device_to_verify: null }>;
  prepare_delegation: (anchor: bigint, origin: string, sessionKey: Uint8Array, maxTtl: [] | [bigint]) => Promise<[Uint8Array, bigint]>;
  get_delegation: (anchor: bigint, origin: string, sessionKey: Uint8Array, expiration: bigint) => Promise<
    { signed_delegation: SignedDelegation } | { no_such_delegation: null }>;
}

export const idlFactory: IDL.InterfaceFactory = ({ IDL }) => {
  const MetadataMap = IDL.Rec();
  MetadataMap.fill(IDL.Vec(IDL.Tuple(IDL.Text, IDL.Variant({ map: MetadataMap, string: IDL.Text, bytes: IDL.Vec(IDL.Nat8) }))));
  const MetadataMapV2 = IDL.Rec();
  MetadataMapV2.fill(IDL.Vec(IDL.Tuple(IDL.Text, IDL.Variant({ Map: MetadataMapV2, String: IDL.Text, Bytes: IDL.Vec(IDL.Nat8) }))));
  const Purpose = IDL.Variant({ recovery: IDL.Null, authentication: IDL.Null });
  const KeyType = IDL.Variant({
    unknown: IDL.Null, platform: IDL.Null, cross_platform: IDL.Null, seed_phrase: IDL.Null, browser_storage_key: IDL.Null,
  });
  const DeviceProtection = IDL.Variant({ protected: IDL.Null, unprotected: IDL.Null });
  const deviceFields = {
    pubkey: IDL.Vec(IDL.Nat8),
    alias: IDL.Text,
    credential_id: IDL.Opt(IDL.Vec(IDL.Nat8)),
    aaguid: IDL.Opt(IDL.Vec(IDL.Nat8)),
    purpose: Purpose,
    key_type: KeyType,
    protection: DeviceProtection,
    origin: IDL.Opt(IDL.Text),
    metadata: IDL.Opt(MetadataMap),
  };
  const DeviceData = IDL.Record(deviceFields);
  const DeviceWithUsage = IDL.Record({ ...deviceFields, last_usage: IDL.Opt(IDL.Nat64) });
  const DeviceRegistrationInfo = IDL.Record({
    tentative_device: IDL.Opt(DeviceData), tentative_session: IDL.Opt(IDL.Principal), expiration: IDL.Nat64,
  });
  const IdentityAnchorInfo = IDL.Record({ devices: IDL.Vec(DeviceWithUsage), device_registration: IDL.Opt(DeviceRegistrationInfo) });
  const WebAuthnCredential = IDL.Record({ credential_id: IDL.Vec(IDL.Nat8), pubkey: IDL.Vec(IDL.Nat8) });
  const AnchorCredentials = IDL.Record({
    credentials: IDL.Vec(WebAuthnCredential), recovery_credentials: IDL.Vec(WebAuthnCredential), recovery_phrases: IDL.Vec(IDL.Vec(IDL.Nat8)),
  });
  const NextStep = IDL.Variant({ CheckCaptcha: IDL.Record({ captcha_png_base64: IDL.Text }), Finish: IDL.Null });
  const NextStepResult = IDL.Record({ next_step: NextStep });
  const AuthnMethodData = IDL.Record({
    authn_method: IDL.Variant({
      WebAuthn: IDL.Record({ credential_id: IDL.Vec(IDL.Nat8), pubkey: IDL.Vec(IDL.Nat8), aaguid: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
      PubKey: IDL.Record({ pubkey: IDL.Vec(IDL.Nat8) }),
    }),
    security_settings: IDL.Record({
      protection: IDL.Variant({ Protected: IDL.Null, Unprotected: IDL.Null }),
      purpose: IDL.Variant({ Recovery: IDL.Null, Authentication: IDL.Null }),
    }),
    metadata: MetadataMapV2,
    last_authentication: IDL.Opt(IDL.Nat64),
  });
  const Delegation = IDL.Record({ pubkey: IDL.Vec(IDL.Nat8), expiration: IDL.Nat64, targets: IDL.Opt(IDL.Vec(IDL.Principal)) });
  const GetDelegationResponse = IDL.Variant({
    signed_delegation: IDL.Record({ delegation: Delegation, signature: IDL.Vec(IDL.Nat8) }),
    no_such_delegation: IDL.Null,
  });
  return IDL.Service({
    identity_registration_start: IDL.Func([], [IDL.Variant({
      Ok: NextStepResult,
      Err: IDL.Variant({ InvalidCaller: IDL.Null, RateLimitExceeded: IDL.Null, AlreadyInProgress: IDL.Null }),
    })], []),
    check_captcha: IDL.Func([IDL.Record({ solution: IDL.Text })], [IDL.Variant({
      Ok: NextStepResult,
      Err: IDL.Variant({
        WrongSolution: IDL.Record({ new_captcha_png_base64: IDL.Text }),
        UnexpectedCall: IDL.Record({ next_step: NextStep }),
        NoRegistrationFlow: IDL.Null,
      }),
    })], []),
    identity_registration_finish: IDL.Func([IDL.Record({ authn_method: AuthnMethodData, name: IDL.Opt(IDL.Text) })], [IDL.Variant({
      Ok: IDL.Record({ identity_number: IDL.Nat64 }),
      Err: IDL.Variant({
        UnexpectedCall: IDL.Record({ next_step: NextStep }),
        NoRegistrationFlow: IDL.Null,
        InvalidAuthnMethod: IDL.Text,
        StorageError: IDL.Text,
      }),
    })], []),
    lookup: IDL.Func([IDL.Nat64], [IDL.Vec(DeviceData)], ['query']),
    get_anchor_credentials: IDL.Func([IDL.Nat64], [AnchorCredentials], ['query']),
    get_anchor_info: IDL.Func([IDL.Nat64], [IdentityAnchorInfo], []),
    add: IDL.Func([IDL.Nat64, DeviceData], [], []),
    update: IDL.Func([IDL.Nat64, IDL.Vec(IDL.Nat8), DeviceData], [], []),
    remove: IDL.Func([IDL.Nat64, IDL.Vec(IDL.Nat8)], [], []),
    enter_device_registration_mode: IDL.Func([IDL.Nat64], [IDL.Nat64], []),
    exit_device_registration_mode: IDL.Func([IDL.Nat64], [], []),
    add_tentative_device: IDL.Func([IDL.Nat64, DeviceData], [IDL.Variant({
      added_tentatively: IDL.Record({ verification_code: IDL.Text, device_registration_timeout: IDL.Nat64 }),
      device_registration_mode_off: IDL.Null,
      another_device_tentatively_added: IDL.Null,
      passkey_with_this_public_key_is_already_used: IDL.Null,
    })], []),
    verify_tentative_device: IDL.Func([IDL.Nat64, IDL.Text], [IDL.Variant({
      verified: IDL.Null,
      wrong_code: IDL.Record({ retries_left: IDL.Nat8 }),
      device_registration_mode_off: IDL.Null,
      no_device_to_verify: IDL.Null,
    })], []),
    prepare_delegation: IDL.Func([IDL.Nat64, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Opt(IDL.Nat64)], [IDL.Vec(IDL.Nat8), IDL.Nat64], []),
    get_delegation: IDL.Func([IDL.Nat64, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Nat64], [GetDelegationResponse], ['query']),
  });
};
