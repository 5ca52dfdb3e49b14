// Playwright drives Debian's chromium (never a downloaded browser; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 on install).
// @playwright/test 1.64.x bundles Chromium 156, the major version of Debian's package, so the CDP protocol matches.
import { defineConfig } from '@playwright/test';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export default defineConfig({
  testDir: 'specs',
  // One worker: each starts its own `iinet up`, and the machine has 2 cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/report.json' }]] : 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath },
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    // II with dummy authentication (no WebAuthn) and no captcha: what @dfinity/internet-identity-playwright expects.
    { name: 'dummy-auth', testIgnore: /captcha\.spec/, use: { iinetArgs: ['--ii-dummy-auth'] } },
    // The same with II's dummy captcha (always "a").
    { name: 'captcha', testMatch: /captcha\.spec/, use: { iinetArgs: ['--ii-dummy-auth', '--ii-captcha'] } },
  ],
});
