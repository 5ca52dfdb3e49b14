// Conformance of a running iinet gateway with the unmodified @dfinity/agent, @dfinity/identity and
// @dfinity/candid 3.4.3: the agent fetches the root key, verifies every certificate and query signature itself.
// Usage: node conformance-agent.mjs <gateway-url>. Prints one JSON object with what it observed; exits 1 on a
// failed check (with the reason on stderr).
import { Actor, CanisterStatus, HttpAgent } from '@dfinity/agent';
import { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } from '@dfinity/identity';
import { check, gatewayUrl, refused, runConformance, WHOAMI } from './conformance-run.mjs';

const url = gatewayUrl('conformance-agent.mjs');
const updateIdl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], []) });
const queryIdl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], ['query']) });
const missingIdl = ({ IDL }) => IDL.Service({ no_such_method: IDL.Func([], [], []) });

async function actors(identity) {
  const agent = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true, verifyQuerySignatures: true });
  return {
    agent,
    update: Actor.createActor(updateIdl, { agent, canisterId: WHOAMI }),
    query: Actor.createActor(queryIdl, { agent, canisterId: WHOAMI }),
    missing: Actor.createActor(missingIdl, { agent, canisterId: WHOAMI }),
  };
}

await runConformance(async (result) => {
  const seed = new Uint8Array(32).map((_, i) => i + 1);
  const identity = Ed25519KeyIdentity.generate(seed);
  const me = identity.getPrincipal().toText();
  const a = await actors(identity);
  result.rootKey = Buffer.from(a.agent.rootKey).toString('hex');

  const updated = (await a.update.whoami()).toText();
  check(updated === me, `update whoami returned ${updated}, expected ${me}`);
  result.updateWhoami = updated;

  const queried = (await a.query.whoami()).toText();
  check(queried === me, `query whoami returned ${queried}, expected ${me}`);
  result.queryWhoami = queried;

  // A delegation from the identity to a session key, restricted to the whoami canister.
  const session = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(7));
  const chain = await DelegationChain.create(identity, session.getPublicKey(), new Date(Date.now() + 15 * 60 * 1000), { targets: [WHOAMI] });
  const delegated = DelegationIdentity.fromDelegation(session, chain);
  const d = await actors(delegated);
  const viaDelegation = (await d.update.whoami()).toText();
  check(viaDelegation === me, `whoami through a delegation returned ${viaDelegation}, expected ${me}`);
  result.delegatedWhoami = viaDelegation;
  const viaDelegationQuery = (await d.query.whoami()).toText();
  check(viaDelegationQuery === me, `query whoami through a delegation returned ${viaDelegationQuery}`);

  // An expired delegation is refused by the gateway (the agent surfaces the HTTP error).
  const expiredChain = await DelegationChain.create(identity, session.getPublicKey(), new Date(Date.now() - 60 * 1000));
  const expired = await actors(DelegationIdentity.fromDelegation(session, expiredChain));
  result.expiredDelegationError = (await refused('a call with an expired delegation', () => expired.update.whoami())).slice(0, 300);
  check(/expired/.test(result.expiredDelegationError), 'expired delegation error does not say why: ' + result.expiredDelegationError);

  // An unknown method: refused at submission (400, IC0536) as the IC's ingress filter does; the agent surfaces it.
  const missingText = await refused('a call to a missing method', () => a.missing.no_such_method());
  result.missingMethodError = missingText.slice(0, 600);
  check(/no_such_method/.test(missingText), 'missing-method error does not name the method: ' + missingText);

  // read_state through the agent's CanisterStatus: time, controllers, module hash, Candid metadata and the subnet's
  // node keys, each verified against the root key by the agent.
  const status = await CanisterStatus.request({ canisterId: WHOAMI, agent: a.agent, paths: ['time', 'controllers', 'module_hash', 'candid', 'subnet'] });
  const time = status.get('time');
  check(time instanceof Date && Math.abs(time.getTime() - Date.now()) < 5 * 60 * 1000, `certified time ${time} is not recent`);
  check(Array.isArray(status.get('controllers')), 'controllers are not a list');
  result.moduleHash = status.get('module_hash');
  check(typeof result.moduleHash === 'string' && result.moduleHash.length === 64, `module_hash ${result.moduleHash} is not 32 bytes of hex`);
  result.candid = status.get('candid');
  check(typeof result.candid === 'string' && result.candid.includes('whoami'), 'candid:service metadata does not name whoami');
  const subnet = status.get('subnet');
  result.subnetId = subnet.subnetId;
  result.nodeKeys = subnet.nodeKeys.size;

});
