// Builds the two halves of the dapp:
// - build/backend.wasm and build/backend.did: backend/main.mo compiled by the Motoko compiler of npm motoko@4.10.0
//   (its moc.min.js, loaded directly: the package's wrapper needs dependencies the compiler itself does not);
// - dist/: the frontend (index.html, style.css and src/main.js bundled by esbuild), what `iinet up --assets dist` serves.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const moc = require('motoko/versions/latest/moc.min.js');
const Motoko = moc.Motoko ?? globalThis.Motoko;

await rm('build', { recursive: true, force: true });
await mkdir('build');
Motoko.saveFile('main.mo', await readFile('backend/main.mo', 'utf8'));
const compiled = Motoko.compileWasm('ic', 'main.mo');
const errors = (compiled.diagnostics ?? []).filter((d) => d.severity === 1);
if (!compiled.code || errors.length > 0) {
  for (const d of compiled.diagnostics ?? []) {
    console.error(`backend/${d.source}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  }
  process.exit(1);
}
await writeFile('build/backend.wasm', compiled.code.wasm);
await writeFile('build/backend.did', compiled.code.candid);

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: 'dist/main.js',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) {
  await copyFile(file, `dist/${file}`);
}
console.log(`built build/backend.wasm (${compiled.code.wasm.length} bytes), build/backend.did and dist/ (index.html, style.css, main.js)`);
