// Compiles one Motoko canister (source on standard input) to IC wasm with the npm package motoko@4.10.0 and prints
// the module as base64. It loads the compiler itself (versions/latest/moc.min.js: Motoko.saveFile, Motoko.compileWasm),
// which needs none of the package wrapper's dependencies. One module per process: compiling twice in one process can
// give different bytes, and tests compare module hashes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const moc = require('motoko/versions/latest/moc.min.js');
const Motoko = moc.Motoko ?? globalThis.Motoko;

let source = '';
for await (const chunk of process.stdin) {
  source += chunk;
}

Motoko.saveFile('Main.mo', source);
const result = Motoko.compileWasm('ic', 'Main.mo');
const errors = (result.diagnostics ?? []).filter((d) => d.severity === 1);
if (!result.code || errors.length > 0) {
  process.stderr.write('moc failed: ' + JSON.stringify(result.diagnostics) + '\n');
  process.exit(1);
}

process.stdout.write(Buffer.from(result.code.wasm).toString('base64'));
