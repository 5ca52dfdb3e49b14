// Builds dist/: index.html (also as authorize/index.html, so /authorize serves the same page), index.js, index.css,
// favicon.ico. Bundled and minified by esbuild, ESM, es2022, no source maps; the same sources give the same bytes.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dist = join(here, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'authorize'), { recursive: true });

const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'es2022',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  absWorkingDir: here,
};

await esbuild.build({
  ...common,
  entryPoints: [join(src, 'main.ts')],
  outfile: join(dist, 'index.js'),
  format: 'esm',
  platform: 'browser',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
});
await esbuild.build({ ...common, entryPoints: [join(src, 'index.css')], outfile: join(dist, 'index.css') });

// The HTML keeps `<body ` (with its space) for the canister's fixup; only whitespace between tags is dropped.
const html = readFileSync(join(src, 'index.html'), 'utf8').replace(/>\s+</g, '><').trim() + '\n';
if (!html.includes('<body ') || !html.includes('<title>Internet Identity</title>')) {
  throw new Error('index.html must contain "<body " and the title "Internet Identity"');
}
writeFileSync(join(dist, 'index.html'), html);
writeFileSync(join(dist, 'authorize', 'index.html'), html);
copyFileSync(join(src, 'favicon.ico'), join(dist, 'favicon.ico'));
