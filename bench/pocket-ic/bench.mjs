// Times PocketIC's steps through unmodified @dfinity/pic 0.23.0 (from tests/js-pic) against the server POCKET_IC_BIN
// names: the server's start, then per run PocketIc.create (a new instance) and what setupCanister does (create a canister
// with cycles, install the wasm, an actor; install_ms covers both, create_canister_ms the first), one update call, tearDown. Prints one JSON line per run.
// Usage: POCKET_IC_BIN=<Cli output>/pocket-ic node bench/pocket-ic/bench.mjs <counter.wasm> <runs>
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../../tests/js-pic/package.json', import.meta.url));
const { PocketIc, PocketIcServer } = require('@dfinity/pic');

const [wasm, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const idl = ({ IDL }) => IDL.Service({ inc: IDL.Func([], [IDL.Nat], []) });

let t = performance.now();
const server = await PocketIcServer.start({ ttl: 120 });
console.log(JSON.stringify({ step: 'server_start', ms: Math.round(performance.now() - t) }));
try {
  for (let run = 1; run <= runs; run++) {
    t = performance.now();
    const pic = await PocketIc.create(server.getUrl());
    const create = performance.now() - t;
    // setupCanister's two steps, timed apart: create_canister (no wasm) and install_code (every replica compiles the wasm).
    t = performance.now();
    const canisterId = await pic.createCanister();
    const createCanister = performance.now() - t;
    await pic.installCode({ canisterId, wasm: readFileSync(wasm) });
    const install = performance.now() - t;
    const actor = pic.createActor(idl, canisterId);
    t = performance.now();
    const n = await actor.inc();
    const call = performance.now() - t;
    if (n !== 1n) throw new Error(`inc answered ${n}, not 1`);
    t = performance.now();
    await pic.tearDown();
    const teardown = performance.now() - t;
    console.log(JSON.stringify({ step: 'run', run, create_ms: Math.round(create), install_ms: Math.round(install), create_canister_ms: Math.round(createCanister), call_ms: Math.round(call), teardown_ms: Math.round(teardown) }));
  }
} finally {
  await server.stop();
}
