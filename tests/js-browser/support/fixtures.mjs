// The suite's fixtures: @dfinity/internet-identity-playwright's `iiPage`, one `iinet up` per worker (serving the
// sample dapp with --assets, plus the project's iinetArgs), and a static server for the suite's own pages.
import { testWithII } from '@dfinity/internet-identity-playwright';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_DIST, startIinet } from './iinet.mjs';
import { startStaticServer } from './static-server.mjs';

export { expect } from '@dfinity/internet-identity-playwright';

const PAGES_DIST = fileURLToPath(new URL('../dist', import.meta.url));

export const test = testWithII.extend({
  iinetArgs: [[], { option: true, scope: 'worker' }],

  network: [
    async ({ iinetArgs }, use) => {
      if (!existsSync(join(SAMPLE_DIST, 'index.html'))) {
        throw new Error('samples/dapp-login/dist is missing: run `npm ci && npm run build` in samples/dapp-login');
      }
      const network = await startIinet(['--assets', SAMPLE_DIST, ...iinetArgs]);
      try {
        await use(network);
      } finally {
        await network.stop();
      }
    },
    { scope: 'worker', timeout: 240_000 },
  ],

  pages: [
    async ({}, use) => {
      if (!existsSync(join(PAGES_DIST, 'icp-sdk-signin', 'index.html'))) {
        throw new Error('tests/js-browser/dist is missing: run `npm run build` in tests/js-browser');
      }
      const server = await startStaticServer(PAGES_DIST);
      try {
        await use(server);
      } finally {
        await server.close();
      }
    },
    { scope: 'worker' },
  ],
});

/** The principal the sample dapp shows once whoami answered. */
export async function shownPrincipal(page) {
  const principal = page.locator('[data-tid=principal]');
  await principal.waitFor({ state: 'visible', timeout: 60_000 });
  return (await principal.textContent()).trim();
}
