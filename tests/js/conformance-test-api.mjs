// The test API of `iinet up` as a JavaScript test uses it, with the unmodified @dfinity/agent and @dfinity/identity
// 3.4.3: POST /_/ii/anchors, POST /_/ii/sign-in for a session key, then the delegation chain JSON turned into a
// DelegationIdentity calls whoami; then POST /_/time/advance by 10 minutes: a fresh agent on the wall clock is refused
// once (its ingress_expiry is in the network's past), syncs its time from the network's certified /time and goes on,
// and so does one that syncs first (the 5-minute certificate-freshness rule).
// usage: node conformance-test-api.mjs <gateway-url>; prints one JSON object.
import { HttpAgent, Actor } from '@dfinity/agent';
import { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } from '@dfinity/identity';
import { IDL } from '@dfinity/candid';
import { WHOAMI, check, gatewayUrl, runConformance } from './conformance-run.mjs';

const url = gatewayUrl('conformance-test-api.mjs');
const whoamiIdl = () => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], []), whoami_query: IDL.Func([], [IDL.Principal], ['query']) });

async function post(path, body) {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

await runConformance(async (result) => {
  const created = await post('/_/ii/anchors');
  check(created.status === 200, `POST /_/ii/anchors answered ${created.status}: ${JSON.stringify(created.json)}`);
  result.anchor = String(created.json.anchor);

  const session = Ed25519KeyIdentity.generate();
  const origin = 'http://localhost:5173';
  const signIn = await post('/_/ii/sign-in', {
    anchor: created.json.anchor,
    origin,
    session_public_key: Buffer.from(session.getPublicKey().toDer()).toString('hex'),
    max_time_to_live_ns: 3_600_000_000_000,
  });
  check(signIn.status === 200, `POST /_/ii/sign-in answered ${signIn.status}: ${JSON.stringify(signIn.json)}`);
  result.principal = signIn.json.principal;

  // What auth-client keeps in IndexedDB: the chain's JSON; a test that starts logged in rebuilds the identity from it.
  const chain = DelegationChain.fromJSON(JSON.stringify(signIn.json.delegation_chain));
  const identity = DelegationIdentity.fromDelegation(session, chain);
  check(identity.getPrincipal().toText() === signIn.json.principal, 'the chain names another principal than /_/ii/sign-in');
  const agent = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
  const whoami = Actor.createActor(whoamiIdl, { agent, canisterId: WHOAMI });
  result.whoami = (await whoami.whoami()).toText();
  result.whoamiQuery = (await whoami.whoami_query()).toText();

  // Ten minutes ahead of the wall clock: certificates are then "signed in the future" for an agent on the wall clock.
  const before = (await (await fetch(new URL('/_/time', url))).json()).nanos_since_epoch;
  const advanced = await post('/_/time/advance', { nanos: 600_000_000_000 });
  check(advanced.status === 200, `POST /_/time/advance answered ${advanced.status}: ${JSON.stringify(advanced.json)}`);
  result.advancedBy = String(BigInt(advanced.json.nanos_since_epoch) - BigInt(before));
  const wallClock = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
  result.whoamiWallClockAgentAfterAdvance = (await Actor.createActor(whoamiIdl, { agent: wallClock, canisterId: WHOAMI }).whoami()).toText();
  const synced = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
  await synced.syncTime(WHOAMI);
  result.whoamiAfterAdvance = (await Actor.createActor(whoamiIdl, { agent: synced, canisterId: WHOAMI }).whoami()).toText();

  const unknown = await post('/_/ii/sign-in', { anchor: 1, origin, session_public_key: 'aa' });
  result.unknownAnchorStatus = unknown.status;
});
