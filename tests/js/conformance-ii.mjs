// Conformance of a running `iinet up` with the unmodified @dfinity/agent, @dfinity/identity and @dfinity/candid 3.4.3,
// through Internet Identity's own Candid interface, as a dapp and II's frontend use it:
// register an identity (v2 flow; the local build has the captcha off), add a second device and act with it,
// prepare_delegation + get_delegation for an origin and a session key, then build the DelegationChain and
// DelegationIdentity as @dfinity/auth-client does and call whoami with it. The agent fetches the root key and
// verifies every certificate and query signature itself.
// Usage: node conformance-ii.mjs <url>. Prints one JSON object; exits 1 on a failed check (reason on stderr).
import { Actor, HttpAgent } from '@dfinity/agent';
import { Delegation, DelegationChain, DelegationIdentity, Ed25519KeyIdentity, isDelegationValid } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { check, gatewayUrl, refused, runConformance, WHOAMI } from './conformance-run.mjs';
import { iiTypes } from './ii-candid.mjs';

const url = gatewayUrl('conformance-ii.mjs');

const II = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');
const ORIGIN = 'https://dapp.example.org';
const OTHER_ORIGIN = 'https://other-dapp.example.org';

// The part of internet_identity.did this script calls, with upstream type and field names.
const iiIdl = ({ IDL }) => {
  const MetadataMapV2 = IDL.Rec();
  MetadataMapV2.fill(IDL.Vec(IDL.Tuple(IDL.Text, IDL.Variant({ Map: MetadataMapV2, String: IDL.Text, Bytes: IDL.Vec(IDL.Nat8) }))));
  const AuthnMethod = IDL.Variant({
    WebAuthn: IDL.Record({ credential_id: IDL.Vec(IDL.Nat8), pubkey: IDL.Vec(IDL.Nat8), aaguid: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
    PubKey: IDL.Record({ pubkey: IDL.Vec(IDL.Nat8) }),
  });
  const AuthnMethodData = IDL.Record({
    authn_method: AuthnMethod,
    security_settings: IDL.Record({
      protection: IDL.Variant({ Protected: IDL.Null, Unprotected: IDL.Null }),
      purpose: IDL.Variant({ Recovery: IDL.Null, Authentication: IDL.Null }),
    }),
    metadata: MetadataMapV2,
    last_authentication: IDL.Opt(IDL.Nat64),
  });
  const NextStep = IDL.Variant({ CheckCaptcha: IDL.Record({ captcha_png_base64: IDL.Text }), Finish: IDL.Null });
  const { DeviceData, GetDelegationResponse } = iiTypes(IDL);
  return IDL.Service({
    identity_registration_start: IDL.Func([], [IDL.Variant({
      Ok: IDL.Record({ next_step: NextStep }),
      Err: IDL.Variant({ InvalidCaller: IDL.Null, RateLimitExceeded: IDL.Null, AlreadyInProgress: IDL.Null }),
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
    authn_method_add: IDL.Func([IDL.Nat64, AuthnMethodData], [IDL.Variant({ Ok: IDL.Null, Err: IDL.Variant({ InvalidMetadata: IDL.Text }) })], []),
    lookup: IDL.Func([IDL.Nat64], [IDL.Vec(DeviceData)], ['query']),
    get_principal: IDL.Func([IDL.Nat64, IDL.Text], [IDL.Principal], ['query']),
    prepare_delegation: IDL.Func([IDL.Nat64, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Opt(IDL.Nat64)], [IDL.Vec(IDL.Nat8), IDL.Nat64], []),
    get_delegation: IDL.Func([IDL.Nat64, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Nat64], [GetDelegationResponse], ['query']),
  });
};
const whoamiIdl = ({ IDL }) => IDL.Service({
  whoami: IDL.Func([], [IDL.Principal], []),
  whoami_query: IDL.Func([], [IDL.Principal], ['query']),
});

const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x));
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const der = (identity) => new Uint8Array(identity.getPublicKey().toDer());

async function agentFor(identity) {
  return HttpAgent.create({ host: url, identity, shouldFetchRootKey: true, verifyQuerySignatures: true });
}

async function ii(identity) {
  return Actor.createActor(iiIdl, { agent: await agentFor(identity), canisterId: II });
}

function pubKeyAuthnMethod(identity, alias) {
  return {
    authn_method: { PubKey: { pubkey: der(identity) } },
    security_settings: { protection: { Unprotected: null }, purpose: { Authentication: null } },
    metadata: [['alias', { String: alias }], ['usage', { String: 'browser_storage_key' }]],
    last_authentication: [],
  };
}

await runConformance(async (result) => {
  const device1 = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(11));
  const device2 = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(22));
  const stranger = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(33));
  const session = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(44));

  const agent1 = await agentFor(device1);
  result.rootKey = hex(agent1.rootKey);
  const ii1 = Actor.createActor(iiIdl, { agent: agent1, canisterId: II });

  // Registration, v2 flow: start (captcha off locally, so the next step is Finish), then finish with the device.
  const start = await ii1.identity_registration_start();
  check('Ok' in start, 'identity_registration_start: ' + show(start));
  result.firstStep = Object.keys(start.Ok.next_step)[0];
  check(result.firstStep === 'Finish', `first registration step is ${result.firstStep}, expected Finish (captcha disabled)`);
  const finish = await ii1.identity_registration_finish({ authn_method: pubKeyAuthnMethod(device1, 'device 1'), name: [] });
  check('Ok' in finish, 'identity_registration_finish: ' + show(finish));
  const anchor = finish.Ok.identity_number;
  result.anchor = String(anchor);

  // A second device, added by the first; then the second one acts on the anchor by itself.
  const added = await ii1.authn_method_add(anchor, pubKeyAuthnMethod(device2, 'device 2'));
  check('Ok' in added, 'authn_method_add: ' + show(added));
  const ii2 = await ii(device2);
  const devices = await ii2.lookup(anchor);
  result.devices = devices.map((d) => hex(d.pubkey));
  check(result.devices.includes(hex(der(device1))) && result.devices.includes(hex(der(device2))),
    'lookup does not list both devices: ' + result.devices.join(','));

  // prepare_delegation (update) and get_delegation (query), authenticated as the second device.
  const sessionKey = der(session);
  const [userKey, expiration] = await ii2.prepare_delegation(anchor, ORIGIN, sessionKey, [BigInt(3600) * 1_000_000_000n]);
  result.userKey = hex(userKey);
  result.expiration = String(expiration);
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  check(expiration > nowNs + 3500n * 1_000_000_000n && expiration <= nowNs + 3700n * 1_000_000_000n,
    `expiration ${expiration} is not about one hour from now (${nowNs})`);
  const got = await ii2.get_delegation(anchor, ORIGIN, sessionKey, expiration);
  check('signed_delegation' in got, 'get_delegation: no_such_delegation for the prepared one');
  const signed = got.signed_delegation;
  check(hex(signed.delegation.pubkey) === hex(sessionKey), 'the delegation is not to the session key');
  check(signed.delegation.expiration === expiration, 'the delegation expiration differs from prepare_delegation');

  const principal = (await ii2.get_principal(anchor, ORIGIN)).toText();
  result.principal = principal;
  check(principal === Principal.selfAuthenticating(new Uint8Array(userKey)).toText(), 'get_principal is not the self-authenticating id of the user key');
  const otherPrincipal = (await ii1.get_principal(anchor, OTHER_ORIGIN)).toText();
  check(otherPrincipal !== principal, 'two origins share a principal');

  // As @dfinity/auth-client builds the identity from II's reply.
  const chain = DelegationChain.fromDelegations([{
    delegation: new Delegation(new Uint8Array(signed.delegation.pubkey), signed.delegation.expiration,
      signed.delegation.targets.length ? signed.delegation.targets[0] : undefined),
    signature: new Uint8Array(signed.signature),
  }], new Uint8Array(userKey));
  check(isDelegationValid(chain), 'isDelegationValid rejects the chain');
  const delegated = DelegationIdentity.fromDelegation(session, chain);
  check(delegated.getPrincipal().toText() === principal, 'DelegationIdentity principal differs from get_principal');
  const whoami = Actor.createActor(whoamiIdl, { agent: await agentFor(delegated), canisterId: WHOAMI });
  result.whoami = (await whoami.whoami()).toText();
  check(result.whoami === principal, `whoami through II's delegation returned ${result.whoami}, expected ${principal}`);
  result.whoamiQuery = (await whoami.whoami_query()).toText();
  check(result.whoamiQuery === principal, `query whoami through II's delegation returned ${result.whoamiQuery}`);

  // Negative checks: a wrong expiration finds nothing; a key that is not on the anchor is refused.
  const wrong = await ii2.get_delegation(anchor, ORIGIN, sessionKey, expiration + 1n);
  result.wrongExpiration = Object.keys(wrong)[0];
  check(result.wrongExpiration === 'no_such_delegation', 'get_delegation with a wrong expiration: ' + result.wrongExpiration);
  const iiStranger = await ii(stranger);
  result.strangerPrepare = (await refused('prepare_delegation by a key not on the anchor',
    () => iiStranger.prepare_delegation(anchor, ORIGIN, sessionKey, []))).slice(0, 400);
  check(/could not be authenticated/.test(result.strangerPrepare), 'stranger prepare_delegation error: ' + result.strangerPrepare);
  result.strangerGet = (await refused('get_delegation by a key not on the anchor',
    () => iiStranger.get_delegation(anchor, ORIGIN, sessionKey, expiration))).slice(0, 400);
  check(/could not be authenticated/.test(result.strangerGet), 'stranger get_delegation error: ' + result.strangerGet);
  result.strangerAdd = (await refused('authn_method_add by a key not on the anchor',
    () => iiStranger.authn_method_add(anchor, pubKeyAuthnMethod(stranger, 'intruder')))).slice(0, 400);
  check(/could not be authenticated/.test(result.strangerAdd), 'stranger authn_method_add error: ' + result.strangerAdd);

});
