// Registration through II's captcha page (`iinet up --ii-captcha`: II's dummy captcha, whose solution is "a").
import { shownPrincipal, test, expect } from '../support/fixtures.mjs';
import { iiPrincipal } from '../support/ii.mjs';
import { II_CANISTER_ID } from '../support/iinet.mjs';

test('signInWithNewIdentity with captcha: the anchor is created after the captcha and the dapp is signed in', async ({ page, iiPage, network }) => {
  await iiPage.waitReady({ url: network.url, canisterId: II_CANISTER_ID });
  await page.goto(network.assetsUrl);

  const anchor = await iiPage.signInWithNewIdentity({ captcha: true });

  expect(await shownPrincipal(page)).toBe(await iiPrincipal(network, anchor, new URL(network.assetsUrl).origin));
});
