// What holds without the network: the browser is Debian's, and the suite's @icp-sdk/auth page reaches for II's
// /authorize window on the network's port (II's host answered here by a route, since no network runs).
import { expect, test } from '../support/fixtures.mjs';

test('the browser is Debian chromium of the major version Playwright 1.64 targets', async ({ browser, browserName }) => {
  expect(browserName).toBe('chromium');
  const major = Number(browser.version().split('.')[0]);
  expect(major, `Chromium ${browser.version()}`).toBeGreaterThanOrEqual(156);
});

test('the @icp-sdk/auth page opens II at /authorize on the network port', async ({ page, context, pages }) => {
  const port = 4943;
  await context.route(`http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:${port}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>stand-in for II</title>' }));
  await page.goto(pages.url('icp-sdk-signin', `/icp-sdk-signin/?iinetPort=${port}`));
  await expect(page.locator('[data-tid=login-button]')).toBeEnabled();

  const [popup] = await Promise.all([context.waitForEvent('page'), page.locator('[data-tid=login-button]').click()]);
  await popup.waitForLoadState('domcontentloaded');

  expect(popup.url()).toBe(`http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:${port}/authorize`);
  await expect(popup).toHaveTitle('stand-in for II');
});
