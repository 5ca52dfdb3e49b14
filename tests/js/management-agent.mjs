// The management canister (aaaaa-aa) of a running iinet subnet driven by the unmodified @dfinity/agent 3.4.3: an Actor
// over the interface specification's ic.did (the methods used here), with the callTransform agent-js's management
// canister used (effective canister id = the argument's canister_id, else aaaaa-aa). Creates a canister, installs a
// Motoko counter, calls and queries it, reads canister_status, upgrades it keeping its heap, and refuses a stranger.
// Usage: node management-agent.mjs <gateway-url> <counter.wasm>. Prints one JSON object (exit 1 on a failed check).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Actor, HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { check, gatewayUrl, refused, runConformance } from './conformance-run.mjs';

const url = gatewayUrl('management-agent.mjs');
const wasm = readFileSync(process.argv[3]);

const managementIdl = ({ IDL }) => {
  const settings = IDL.Record({
    controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
    compute_allocation: IDL.Opt(IDL.Nat),
    memory_allocation: IDL.Opt(IDL.Nat),
    freezing_threshold: IDL.Opt(IDL.Nat),
    reserved_cycles_limit: IDL.Opt(IDL.Nat),
    log_visibility: IDL.Opt(IDL.Variant({ controllers: IDL.Null, public: IDL.Null, allowed_viewers: IDL.Vec(IDL.Principal) })),
    wasm_memory_limit: IDL.Opt(IDL.Nat),
    wasm_memory_threshold: IDL.Opt(IDL.Nat),
  });
  const mode = IDL.Variant({
    install: IDL.Null,
    reinstall: IDL.Null,
    upgrade: IDL.Opt(IDL.Record({
      skip_pre_upgrade: IDL.Opt(IDL.Bool),
      wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null })),
    })),
  });
  const status = IDL.Record({
    status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
    module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
    memory_size: IDL.Nat,
    cycles: IDL.Nat,
    settings: IDL.Record({ controllers: IDL.Vec(IDL.Principal), freezing_threshold: IDL.Nat }),
    idle_cycles_burned_per_day: IDL.Nat,
  });
  return IDL.Service({
    provisional_create_canister_with_cycles: IDL.Func(
      [IDL.Record({ amount: IDL.Opt(IDL.Nat), settings: IDL.Opt(settings), specified_id: IDL.Opt(IDL.Principal) })],
      [IDL.Record({ canister_id: IDL.Principal })], []),
    install_code: IDL.Func(
      [IDL.Record({ mode, canister_id: IDL.Principal, wasm_module: IDL.Vec(IDL.Nat8), arg: IDL.Vec(IDL.Nat8) })], [], []),
    canister_status: IDL.Func([IDL.Record({ canister_id: IDL.Principal })], [status], []),
  });
};

const counterIdl = ({ IDL }) => IDL.Service({
  inc: IDL.Func([], [IDL.Nat], []),
  get: IDL.Func([], [IDL.Nat], ['query']),
});

// As agent-js's getManagementCanister: route each call by its argument's canister_id.
function management(agent) {
  return Actor.createActor(managementIdl, {
    agent,
    canisterId: Principal.fromText('aaaaa-aa'),
    callTransform: (_method, args) => ({ effectiveCanisterId: args[0]?.canister_id ?? Principal.fromText('aaaaa-aa') }),
  });
}

await runConformance(async (result) => {
  const developer = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(3));
  const stranger = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(4));
  const agent = await HttpAgent.create({ host: url, identity: developer, shouldFetchRootKey: true, verifyQuerySignatures: true });
  const ic = management(agent);

  const { canister_id: id } = await ic.provisional_create_canister_with_cycles({ amount: [], settings: [], specified_id: [] });
  result.canisterId = id.toText();
  await ic.install_code({ mode: { install: null }, canister_id: id, wasm_module: wasm, arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]) });

  const counter = Actor.createActor(counterIdl, { agent, canisterId: id });
  await counter.inc();
  result.afterInc = Number(await counter.inc());
  result.query = Number(await counter.get());

  const status = await ic.canister_status({ canister_id: id });
  result.status = Object.keys(status.status)[0];
  result.moduleHashMatches = Buffer.from(status.module_hash[0]).toString('hex') === createHash('sha256').update(wasm).digest('hex');
  result.controllers = status.settings.controllers.map((p) => p.toText());
  check(result.controllers.includes(developer.getPrincipal().toText()), 'the creator controls the canister');

  await ic.install_code({
    mode: { upgrade: [{ skip_pre_upgrade: [], wasm_memory_persistence: [{ keep: null }] }] },
    canister_id: id, wasm_module: wasm, arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]),
  });
  result.afterUpgrade = Number(await counter.get());

  const strangerAgent = await HttpAgent.create({ host: url, identity: stranger, shouldFetchRootKey: true });
  result.strangerError = await refused('a stranger\'s install_code', () => management(strangerAgent).install_code(
    { mode: { reinstall: null }, canister_id: id, wasm_module: wasm, arg: new Uint8Array() }));
});
