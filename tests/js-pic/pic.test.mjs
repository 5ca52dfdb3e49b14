// Unmodified @dfinity/pic 0.23.0 against iinet's PocketIC-compatible server: POCKET_IC_BIN names the `pocket-ic`
// launcher of the Cli output (run by tests/PocketIc.Tests/JsPicSuiteTests, or by hand with POCKET_IC_BIN set).
// Besides the built-in whoami canister, a Motoko counter compiled with motoko@4.10.0 (PIC_COUNTER_WASM names the wasm,
// compiled by tests/PocketIc.Tests) is set up with pic.setupCanister, called as several identities, upgraded and
// reinstalled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pic from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';

const { PocketIc, PocketIcServer, createIdentity } = pic;
const whoamiId = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');
const whoamiIdl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], []) });
const whoamiQueryIdl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], ['query']) });

let server;
let instance;

before(async () => {
  assert.ok(process.env.POCKET_IC_BIN, 'POCKET_IC_BIN names the pocket-ic launcher');
  server = await PocketIcServer.start({ ttl: 60 });
  instance = await PocketIc.create(server.getUrl());
});

after(async () => {
  await instance?.tearDown();
  await server?.stop();
});

const counterIdl = ({ IDL }) => IDL.Service({
  inc: IDL.Func([], [IDL.Nat], []),
  get: IDL.Func([], [IDL.Nat], ['query']),
  whoami: IDL.Func([], [IDL.Principal], []),
  boom: IDL.Func([], [], []),
  now: IDL.Func([], [IDL.Nat64], ['query']),
});

test('a Motoko canister: setupCanister, calls as identities, a trap rolls back, upgrade keeps the stable count, reinstall resets it', async () => {
  const wasm = process.env.PIC_COUNTER_WASM;
  assert.ok(wasm, 'PIC_COUNTER_WASM names the counter wasm');
  const owner = createIdentity('owner');
  const fixture = await instance.setupCanister({ idlFactory: counterIdl, wasm, sender: owner.getPrincipal() });
  const { actor, canisterId } = fixture;
  const alice = createIdentity('alice');
  actor.setIdentity(alice);
  assert.equal(await actor.inc(), 1n);
  assert.equal(await actor.inc(), 2n);
  assert.equal((await actor.whoami()).toText(), alice.getPrincipal().toText());
  await assert.rejects(() => actor.boom(), /trapped|assertion/i, 'a trap is a reject');
  assert.equal(await actor.get(), 2n, 'the trap rolled its change back');

  await instance.upgradeCanister({ canisterId, wasm, sender: owner.getPrincipal(), upgradeModeOptions: { skip_pre_upgrade: [], wasm_memory_persistence: [{ keep: null }] } });
  assert.equal(await actor.get(), 2n, 'the persistent count survives an upgrade');
  await instance.reinstallCode({ canisterId, wasm, sender: owner.getPrincipal() });
  assert.equal(await actor.get(), 0n, 'reinstall starts from zero');

  await assert.rejects(() => instance.upgradeCanister({ canisterId, wasm, sender: alice.getPrincipal(),
    upgradeModeOptions: { skip_pre_upgrade: [], wasm_memory_persistence: [{ keep: null }] } }), /controllers/i, 'only a controller upgrades');
});

test('topology: one application subnet holding the canister ranges', async () => {
  const subnets = await instance.getApplicationSubnets();
  assert.equal(subnets.length, 1);
  assert.equal(subnets[0].size, 4);
  const subnetId = await instance.getCanisterSubnetId(whoamiId);
  assert.equal(subnetId.toText(), subnets[0].id.toText());
  const key = await instance.getPubKey(subnets[0].id);
  assert.equal(key.length, 133, 'a DER BLS12-381 public key');
});

test('update calls as different identities: whoami answers each caller', async () => {
  const actor = instance.createActor(whoamiIdl, whoamiId);
  const alice = createIdentity('alice');
  const bob = createIdentity('bob');
  actor.setIdentity(alice);
  assert.equal((await actor.whoami()).toText(), alice.getPrincipal().toText());
  actor.setIdentity(bob);
  assert.equal((await actor.whoami()).toText(), bob.getPrincipal().toText());
  actor.setPrincipal(Principal.anonymous());
  assert.equal((await actor.whoami()).toText(), '2vxsx-fae');
});

test('query calls as an identity', async () => {
  const actor = instance.createActor(whoamiQueryIdl, whoamiId);
  const carol = createIdentity('carol');
  actor.setIdentity(carol);
  assert.equal((await actor.whoami()).toText(), carol.getPrincipal().toText());
});

test('deferred actor: submit now, await later', async () => {
  const actor = instance.createDeferredActor(whoamiIdl, whoamiId);
  const dave = createIdentity('dave');
  actor.setIdentity(dave);
  const executeCall = await actor.whoami();
  assert.equal((await executeCall()).toText(), dave.getPrincipal().toText());
});

test('time travel: set time, tick, advance, certified time; never into the past', async () => {
  const start = await instance.getTime();
  const target = start + 3_600_000;
  await instance.setTime(target);
  assert.equal(await instance.getTime(), target);
  await instance.tick();
  assert.equal(await instance.getTime(), target, 'getTime answers whole ms: the time set plus 1 ns after the tick');
  await instance.tick();
  assert.equal(await instance.getTime(), target, 'a tick on unmoved time adds 1 ns, as PocketIC');
  await instance.advanceTime(60_000);
  await instance.tick(2);
  assert.equal(await instance.getTime(), target + 60_000);
  const certified = target + 86_400_000;
  await instance.setCertifiedTime(certified);
  assert.equal(await instance.getTime(), certified);
  await assert.rejects(instance.setTime(start), /SettingTimeIntoPast/);
});

test('the canister sees the time set to the nanosecond at the first tick, then 1 ns more per tick', async () => {
  const wasm = process.env.PIC_COUNTER_WASM;
  const { actor } = await instance.setupCanister({ idlFactory: counterIdl, wasm });
  const target = (await instance.getTime()) + 86_400_000 * 2;
  await instance.setTime(target);
  await instance.tick();
  const nanos = BigInt(target) * 1_000_000n;
  assert.equal(await actor.now(), nanos, 'ic0.time at the first height after setTime');
  await instance.tick();
  assert.equal(await actor.now(), nanos + 1n);
  await instance.tick(3);
  assert.equal(await actor.now(), nanos + 4n);
});

test('stable memory: setStableMemory through the blob store, getStableMemory answers it in whole pages', async () => {
  const wasm = process.env.PIC_COUNTER_WASM;
  const { actor, canisterId } = await instance.setupCanister({ idlFactory: counterIdl, wasm });
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 251);
  await instance.setStableMemory(canisterId, bytes);
  const memory = await instance.getStableMemory(canisterId);
  assert.equal(memory.length, 2 * 65_536, 'two 64 KiB pages hold 70 000 bytes');
  assert.deepEqual(Array.from(memory.subarray(0, bytes.length)), Array.from(bytes));
  assert.ok(memory.subarray(bytes.length).every((b) => b === 0), 'zeros after the data');
  assert.equal(await actor.inc(), 1n, 'the canister still runs');
  await assert.rejects(instance.getStableMemory(whoamiId), /built into this server/);
});

test('a second instance is independent and tears down', async () => {
  const other = await PocketIc.create(server.getUrl());
  const before = await instance.getTime();
  await other.setTime(before + 1_000_000_000);
  assert.equal(await instance.getTime(), before);
  await other.tearDown();
  await assert.rejects(other.getTime(), /Instance was deleted/);
});
