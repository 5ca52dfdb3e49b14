// Builds the suite's own pages into dist/: the @icp-sdk/auth sign-in page.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist/icp-sdk-signin', { recursive: true });
await build({
  entryPoints: ['pages/icp-sdk-signin/src/signin.js'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  outfile: 'dist/icp-sdk-signin/signin.js',
  logLevel: 'warning',
});
await copyFile('pages/icp-sdk-signin/index.html', 'dist/icp-sdk-signin/index.html');
console.log('built dist/icp-sdk-signin');
