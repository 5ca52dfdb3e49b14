// Unmodified @dfinity/ic-management 9.0.1 (on @icp-sdk/core 4) against a running iinet network: creates a canister,
// installs a Motoko counter, reads canister_status, changes its settings, stops and starts it, stops and deletes it,
// and checks the network's answers at each step (a stopped canister refuses calls; a deleted one is gone).
// Usage: node ic-management.mjs <gateway-url> <counter.wasm>. Prints one JSON object (exit 1 on a failed check).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ICManagementCanister } from '@dfinity/ic-management';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';

const [url, wasmPath] = process.argv.slice(2);
if (!url || !wasmPath) {
  console.error('usage: node ic-management.mjs <gateway-url> <counter.wasm>');
  process.exit(2);
}

const wasm = readFileSync(wasmPath);
const check = (condition, message) => {
  if (!condition) {
    throw new Error(message);
  }
};
const refused = async (what, call) => {
  try {
    await call();
  } catch (e) {
    return String(e?.message ?? e);
  }
  throw new Error(`${what} succeeded, expected a refusal`);
};
const counterIdl = ({ IDL }) => IDL.Service({ inc: IDL.Func([], [IDL.Nat], []) });

const result = {};
try {
  const developer = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(5));
  const friend = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(6));
  const agent = await HttpAgent.create({ host: url, identity: developer, shouldFetchRootKey: true });
  const ic = ICManagementCanister.create({ agent });

  const id = await ic.provisionalCreateCanisterWithCycles();
  result.canisterId = id.toText();
  await ic.installCode({ mode: { install: null }, canisterId: id, wasmModule: wasm, arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]) });
  const counter = Actor.createActor(counterIdl, { agent, canisterId: id });
  result.inc = Number(await counter.inc());

  let status = await ic.canisterStatus({ canisterId: id });
  result.status = Object.keys(status.status)[0];
  result.moduleHashMatches = Buffer.from(status.module_hash[0]).toString('hex') === createHash('sha256').update(wasm).digest('hex');

  await ic.updateSettings({
    canisterId: id,
    settings: { controllers: [developer.getPrincipal().toText(), friend.getPrincipal().toText()], freezingThreshold: 1234n },
  });
  status = await ic.canisterStatus({ canisterId: id });
  result.controllers = status.settings.controllers.map((p) => p.toText()).sort();
  result.freezingThreshold = Number(status.settings.freezing_threshold);

  await ic.stopCanister(id);
  result.stoppedStatus = Object.keys((await ic.canisterStatus({ canisterId: id })).status)[0];
  result.stoppedCall = await refused('a call to a stopped canister', () => counter.inc());
  await ic.startCanister(id);
  result.afterStart = Number(await counter.inc());

  // The friend, now a controller, stops and deletes it.
  const friendAgent = await HttpAgent.create({ host: url, identity: friend, shouldFetchRootKey: true });
  const friendIc = ICManagementCanister.create({ agent: friendAgent });
  await friendIc.stopCanister(id);
  await friendIc.deleteCanister(id);
  result.afterDelete = await refused('canister_status of a deleted canister', () => ic.canisterStatus({ canisterId: id }));
  check(result.controllers.includes(friend.getPrincipal().toText()), 'update_settings made the friend a controller');
  result.ok = true;
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(e?.stack ?? String(e));
  console.log(JSON.stringify({ ...result, ok: false, error: String(e?.message ?? e) }));
  process.exit(1);
}
