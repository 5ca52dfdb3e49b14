// @icp-sdk/auth 7.1.0 signIn() through II's ICRC-29/34 channel (/authorize): the identity it returns is the one whoami
// sees, and II derives the same principal for the anchor and the page's origin.
import { expect, shownPrincipal, test } from '../support/fixtures.mjs';
import { iiPrincipal } from '../support/ii.mjs';
import { II_CANISTER_ID } from '../support/iinet.mjs';

test('signIn() returns a delegation whose principal whoami confirms', async ({ page, iiPage, network, pages }) => {
  await iiPage.waitReady({ url: network.url, canisterId: II_CANISTER_ID });
  const url = pages.url('icp-sdk-signin', `/icp-sdk-signin/?iinetPort=${network.port}`);
  await page.goto(url);
  await expect(page.locator('[data-tid=login-button]')).toBeEnabled();

  const anchor = await iiPage.signInWithNewIdentity();

  const principal = await shownPrincipal(page);
  expect(await page.locator('[data-tid=identity-principal]').textContent()).toBe(principal);
  expect(principal).toBe(await iiPrincipal(network, anchor, new URL(url).origin));
});
