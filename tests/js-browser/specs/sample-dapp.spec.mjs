// The sample dapp (samples/dapp-login, hosted by `iinet up --assets`) signed in by @dfinity/internet-identity-playwright
// 2.0.0 against II's frontend with dummy authentication; the principal whoami shows is the one II derives.
import { expect, shownPrincipal, test } from '../support/fixtures.mjs';
import { iiPrincipal } from '../support/ii.mjs';
import { II_CANISTER_ID } from '../support/iinet.mjs';

test.beforeEach(async ({ iiPage, network }) => {
  await iiPage.waitReady({ url: network.url, canisterId: II_CANISTER_ID });
});

test('signInWithNewIdentity: whoami shows II\'s principal for the new anchor and the dapp\'s origin', async ({ page, iiPage, network }) => {
  await page.goto(network.assetsUrl);

  const anchor = await iiPage.signInWithNewIdentity();

  const principal = await shownPrincipal(page);
  expect(principal).toBe(await iiPrincipal(network, anchor, new URL(network.assetsUrl).origin));
});

test('signInWithIdentity: the anchor signs in again, from II\'s list, as the same principal', async ({ page, iiPage, network }) => {
  await page.goto(network.assetsUrl);
  const anchor = await iiPage.signInWithNewIdentity();
  const first = await shownPrincipal(page);
  await page.locator('[data-tid=logout-button]').click();
  await expect(page.locator('[data-tid=login-button]')).toBeEnabled();

  await iiPage.signInWithIdentity({ identity: anchor });

  expect(await shownPrincipal(page)).toBe(first);
});
