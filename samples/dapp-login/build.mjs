// Bundles src/main.js for the browser and copies the static files: everything the dapp needs ends up in dist/.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

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
console.log('built dist/ (index.html, style.css, main.js)');
