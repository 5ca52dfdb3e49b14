// Browser walkthrough of the II frontend against a running network, in Debian's Chromium through playwright-core.
//   node dev/walkthrough.mjs --network http://127.0.0.1:4943 [--mode passkey|dummy|misc|all]
// Starts dev-server.mjs itself (II on <id>.localhost:25173, dapp on localhost:25174; dummy mode on 25183/25184),
// drives every flow, asserts what it sees and writes screenshots to dev/out/.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const { values: args } = parseArgs({ options: { network: { type: 'string', default: 'http://127.0.0.1:4943' }, mode: { type: 'string', default: 'all' } } });
const II_ID = 'rdmx6-jaaaa-aaaaa-aaadq-cai';

function check(cond, what) {
  if (!cond) {
    throw new Error(`FAILED: ${what}`);
  }
  console.log(`ok   ${what}`);
}

async function startDevServer(port, dappPort, extra = []) {
  const child = spawn(process.execPath, [join(here, '..', 'dev-server.mjs'), '--network', args.network, '--port', String(port), '--dapp-port', String(dappPort), ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', d => { seen += d; if (seen.includes('dapp ')) { resolve(); } });
    child.on('exit', code => reject(new Error(`dev server exited ${code}`)));
  });
  return child;
}

async function authenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return {
    cdp, authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    add: async creds => { for (const credential of creds) { await cdp.send('WebAuthn.addCredential', { authenticatorId, credential }); } },
  };
}

const shot = (page, name) => page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });

async function openPopup(context, dapp) {
  const popupPromise = context.waitForEvent('page');
  await dapp.click('[data-tid=login-button]');
  const popup = await popupPromise;
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

async function passkeyMode(browser) {
  const ii = `http://${II_ID}.localhost:25173`;
  const server = await startDevServer(25173, 25174);
  try {
    // Register from a dapp (legacy #authorize), passkey on a virtual authenticator.
    const ctx = await browser.newContext();
    const dapp = await ctx.newPage();
    await dapp.goto(`http://localhost:25174/?idp=${encodeURIComponent(ii + '/')}`);
    let popup = await openPopup(ctx, dapp);
    let auth = await authenticator(popup);
    check(await popup.title() === 'Internet Identity', 'popup title is "Internet Identity"');
    await popup.locator('#registerButton').click();
    const anchorText = await popup.locator('#userNumber').textContent({ timeout: 30000 });
    const anchor = anchorText.trim();
    check(/^\d+$/.test(anchor) && await popup.locator('#userNumber').getAttribute('data-usernumber') === anchor, `registered anchor ${anchor} shown in output#userNumber`);
    await shot(popup, 'passkey-01-registered');
    const creds = await auth.credentials();
    check(creds.length === 1 && creds[0].rpId === `${II_ID}.localhost`, 'one passkey with rpId <id>.localhost');
    await popup.locator('#displayUserContinue').click();
    await popup.waitForEvent('close', { timeout: 30000 });
    check(true, 'the dapp closed the popup after authorize-client-success');
    await dapp.locator('#whoami').filter({ hasText: /\S/ }).waitFor({ timeout: 30000 });
    const principal1 = await dapp.locator('#principal').textContent();
    check(await dapp.locator('#whoami').textContent() === principal1, `whoami with the delegation returns the dapp principal ${principal1}`);
    const exp = BigInt(await dapp.locator('#expiration').textContent());
    const ttl = Number(exp / 1_000_000n) - Date.now();
    check(ttl > 7.9 * 3600e3 && ttl <= 8 * 3600e3 + 60e3, `delegation honours auth-client's 8 h maxTimeToLive (${Math.round(ttl / 60e3)} min)`);
    await shot(dapp, 'passkey-02-dapp-signed-in');

    // Sign in again via the pick screen (a WebAuthn assertion signs the session delegation).
    popup = await openPopup(ctx, dapp);
    auth = await authenticator(popup);
    await auth.add(creds);
    await popup.locator(`[data-anchor-id="${anchor}"]`).waitFor();
    await shot(popup, 'passkey-03-pick');
    await popup.locator(`[data-anchor-id="${anchor}"]`).click();
    await popup.waitForEvent('close', { timeout: 30000 });
    await dapp.waitForFunction(p => document.querySelector('#principal').textContent === p && document.querySelector('#whoami').textContent === p, principal1, { timeout: 30000 });
    check(true, 'second sign-in with the passkey gives the same principal');

    // ICRC-29/34 via @icp-sdk/auth on /authorize, with a 1 h TTL.
    const icrc = await ctx.newPage();
    await icrc.goto(`http://localhost:25174/?protocol=icrc&ttl=3600000000000&idp=${encodeURIComponent(ii + '/authorize')}`);
    popup = await openPopup(ctx, icrc);
    auth = await authenticator(popup);
    await auth.add(creds);
    await popup.locator(`[data-anchor-id="${anchor}"]`).click();
    await popup.waitForEvent('close', { timeout: 30000 });
    await icrc.locator('#whoami').filter({ hasText: /\S/ }).waitFor({ timeout: 30000 });
    const icrcTtl = Number(BigInt(await icrc.locator('#expiration').textContent()) / 1_000_000n) - Date.now();
    check(await icrc.locator('#principal').textContent() === principal1 && await icrc.locator('#whoami').textContent() === principal1,
      'ICRC-34 sign-in on /authorize gives the same principal and a working delegation');
    check(icrcTtl > 3500e3 && icrcTtl <= 3660e3, `ICRC maxTimeToLive of 1 h honoured (${Math.round(icrcTtl / 60e3)} min)`);
    await icrc.close();

    // derivationOrigin not allowed -> failure posted to the dapp.
    const bad = await ctx.newPage();
    await bad.goto(`http://localhost:25174/?derivationOrigin=${encodeURIComponent('http://ryjl3-tyaaa-aaaaa-aaaba-cai.localhost:25173')}&idp=${encodeURIComponent(ii + '/')}`);
    popup = await openPopup(ctx, bad);
    await popup.waitForEvent('close', { timeout: 30000 }); // auth-client closes the window on authorize-client-failure
    await bad.locator('#error').filter({ hasText: /Invalid derivation origin/ }).waitFor({ timeout: 10000 });
    check(true, `dapp received authorize-client-failure: ${await bad.locator('#error').textContent()}`);
    await shot(bad, 'passkey-04-bad-derivation-origin');
    await bad.close();

    // Manage: sign in on /, add a recovery phrase, rename, add a passkey here, remove it.
    const manage = await ctx.newPage();
    auth = await authenticator(manage);
    await auth.add(creds);
    await manage.goto(ii + '/');
    await manage.locator(`[data-anchor-id="${anchor}"]`).click();
    await manage.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    check(await manage.locator('aside[data-role="passkeys"] li[data-device="FIDO Passkey"]').count() === 1, 'manage page lists li[data-device="FIDO Passkey"]');
    await shot(manage, 'passkey-05-manage');

    await manage.locator('[data-action="add-recovery-phrase"]').click();
    await manage.locator('[data-page="add-recovery-phrase"] [data-action="next"]').click();
    const phrase = (await manage.locator('[data-role="recovery-words"]').textContent()).trim().split(/\s+/);
    check(phrase.length === 25 && phrase[0] === anchor, 'recovery phrase shows "<anchor> word1 … word24"');
    await shot(manage, 'passkey-06-recovery-phrase');
    check(await manage.locator('#displaySeedPhraseContinue').isDisabled(), 'continue disabled until acknowledged');
    await manage.locator('#ack-checkbox').check();
    await manage.locator('#displaySeedPhraseContinue').click();
    await manage.locator('#recoveryWord1').fill(phrase[1]);
    await manage.locator('#recoveryWord2').fill('wrong');
    await manage.locator('#recoveryWord24').fill(phrase[24]);
    await manage.locator('[data-page="confirm-recovery-phrase"] [data-action="next"]').click();
    check(await manage.locator('[role=alert]').filter({ hasText: 'Word #2' }).count() === 1, 'a wrong confirmation word is named');
    await manage.locator('#recoveryWord2').fill(phrase[2]);
    await manage.locator('[data-page="confirm-recovery-phrase"] [data-action="next"]').click();
    await manage.locator('[data-page="recovery-phrase-added"] [data-action="next"]').click();
    await manage.locator('aside[data-role="recoveries"] li[data-device="Recovery phrase"]').waitFor({ timeout: 30000 });
    check(true, 'recovery phrase listed under aside[data-role="recoveries"]');

    await manage.locator('[data-action="open-settings"][data-device="FIDO Passkey"]').click();
    await manage.locator('[data-action="rename"][data-device="FIDO Passkey"]').click();
    await manage.locator('#renameInput').fill('My key');
    await manage.locator('#renameSave').click();
    await manage.locator('aside[data-role="passkeys"] li[data-device="My key"]').waitFor({ timeout: 30000 });
    check(true, 'rename: li[data-device="My key"]');

    // A passkey on this browser: a fresh authenticator (the first one holds an excluded credential).
    await auth.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: auth.authenticatorId });
    const auth2 = await authenticator(manage);
    await manage.locator('#addAdditionalDevice').click();
    await manage.locator('[data-role="add-device-link"]').waitFor();
    await shot(manage, 'passkey-07-add-device');
    await manage.locator('[data-action="use-fido"]').click();
    await manage.locator('[data-page="device-added"] [data-action="next"]').click();
    await manage.locator('aside[data-role="passkeys"] li[data-device="FIDO Passkey"]').waitFor({ timeout: 30000 });
    check((await auth2.credentials()).length === 1, 'use-fido added a second passkey ("FIDO Passkey")');

    await manage.locator('[data-action="open-settings"][data-device="FIDO Passkey"]').click();
    await manage.locator('[data-action="remove"][data-device="FIDO Passkey"]').click();
    await manage.locator('#confirmRemoveDeviceAlias').fill('FIDO Passkey');
    await shot(manage, 'passkey-08-confirm-remove');
    await manage.locator('#confirmRemoveDeviceButton').click();
    await manage.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    await manage.waitForFunction(() => !document.querySelector('li[data-device="FIDO Passkey"]'), null, { timeout: 30000 });
    check(true, 'remove: the second passkey is gone');

    // Tentative device: a second browser (context) adds itself; this one verifies the code (one wrong try first).
    const other = await browser.newContext();
    const newPage = await other.newPage();
    const auth3 = await authenticator(newPage);
    await manage.locator('#addAdditionalDevice').click();
    const link = await manage.locator('[data-role="add-device-link"]').getAttribute('href');
    check(link === `${ii}/?action=add-passkey&ii=${anchor}`, `add-device link ${link}`);
    await newPage.goto(link);
    await newPage.locator('#trustDeviceConfirm').click();
    const code = (await newPage.locator('#verificationCode').textContent({ timeout: 30000 })).trim();
    check(/^\d{6}$/.test(code), `new browser shows the verification code ${code}`);
    await shot(newPage, 'passkey-09-new-device-code');
    const digits = manage.locator('[data-role="verification-code"] input');
    await digits.first().waitFor({ timeout: 30000 });
    const wrong = code === '000000' ? '111111' : '000000';
    await digits.first().fill(wrong);
    await manage.locator('#verifyDevice').click();
    await manage.locator('[role=alert]').filter({ hasText: '2 attempts left' }).waitFor({ timeout: 30000 });
    check(true, 'wrong code: "2 attempts left"');
    await shot(manage, 'passkey-10-wrong-code');
    for (let i = 0; i < 6; i++) {
      await digits.nth(i).fill(code[i]);
    }
    await manage.locator('#verifyDevice').click();
    await manage.locator('[data-page="device-added"]').waitFor({ timeout: 30000 });
    await newPage.locator('[data-page="device-added"]').waitFor({ timeout: 30000 });
    check((await auth3.credentials()).length === 1, 'tentative device verified on both sides');
    await shot(newPage, 'passkey-11-new-device-added');
    await newPage.locator('[data-page="device-added"] [data-action="next"]').click();
    await newPage.locator(`[data-anchor-id="${anchor}"]`).click();
    await newPage.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    check(true, 'the new browser signs in with its own passkey');
    await manage.locator('[data-page="device-added"] [data-action="next"]').click();
    await manage.locator('#logoutButton').click();
    await manage.locator(`[data-anchor-id="${anchor}"]`).waitFor();
    check(true, 'logout returns to the pick screen');

    // Recovery with the phrase in a fresh browser; unknown anchor error first.
    const fresh = await browser.newContext();
    const rec = await fresh.newPage();
    await rec.goto(ii + '/');
    await rec.locator('#loginButton').click();
    await rec.locator('input[data-role="anchor-input"]').fill('99999');
    await rec.locator('[data-action="continue"]').click();
    await rec.locator('[data-page=error]').waitFor({ timeout: 30000 });
    check((await rec.locator('[data-page=error] h1').textContent()) === 'Unknown identity', 'unknown anchor: "Unknown identity"');
    await shot(rec, 'passkey-12-unknown-anchor');
    await rec.locator('#errorContinue').click();
    await rec.locator('#loginButton').click();
    await rec.locator('#recoverButton').click();
    await rec.locator('[data-action="recover-with-phrase"]').click();
    await rec.locator('[data-page="recover-with-phrase"] textarea').fill(phrase.join(' '));
    await shot(rec, 'passkey-13-recover');
    await rec.locator('#recoverContinue').click();
    await rec.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    check((await rec.locator('[data-role="user-number"]').textContent()) === anchor, 'recovered the anchor with the phrase');
    await shot(rec, 'passkey-14-recovered');
    // A passkey that is not on this authenticator: the browser refuses, the page says so.
    const empty = await browser.newContext();
    const refused = await empty.newPage();
    await authenticator(refused);
    await refused.goto(ii + '/');
    await refused.locator('#loginButton').click();
    await refused.locator('input[data-role="anchor-input"]').fill(anchor);
    await refused.locator('[data-action="continue"]').click();
    await refused.locator('[data-page=error]').waitFor({ timeout: 60000 });
    check((await refused.locator('[data-page=error] h1').textContent()) === 'The passkey was not used', 'no usable passkey: "The passkey was not used"');
    await shot(refused, 'passkey-15-passkey-refused');
    await empty.close();
    await fresh.close();
    await other.close();
    await ctx.close();
  } finally {
    server.kill();
  }
}

// What @dfinity/internet-identity-playwright@2.0.0 does (spec §3.8), in dummy-auth mode.
async function dummyMode(browser) {
  const server = await startDevServer(25183, 25184, ['--dummy-auth']);
  try {
    const anchors = [];
    for (const host of [`${II_ID}.localhost:25183/`, `127.0.0.1:25183/?canisterId=${II_ID}`]) {
      const ii = `http://${host}`;
      const ctx = await browser.newContext();
      const dapp = await ctx.newPage();
      await dapp.goto(`http://localhost:25184/?idp=${encodeURIComponent(ii)}`);
      let popup = await openPopup(ctx, dapp);
      check(await popup.title() === 'Internet Identity', `${ii}: title`);
      await popup.locator('#registerButton').click();
      const anchor = Number.parseInt(await popup.locator('#userNumber').textContent({ timeout: 30000 }), 10);
      anchors.push(anchor);
      await shot(popup, `dummy-01-registered-${anchors.length}`);
      await popup.locator('#displayUserContinue').click();
      await popup.waitForEvent('close', { timeout: 30000 });
      await dapp.locator('#whoami').filter({ hasText: /\S/ }).waitFor({ timeout: 30000 });
      const p1 = await dapp.locator('#principal').textContent();
      check(await dapp.locator('#whoami').textContent() === p1, `dummy: signInWithNewIdentity -> anchor ${anchor}, principal ${p1}`);
      popup = await openPopup(ctx, dapp);
      await popup.locator(`[data-anchor-id='${anchor}']`).click();
      await popup.waitForEvent('close', { timeout: 30000 });
      await dapp.waitForFunction(p => document.querySelector('#principal').textContent === p, p1, { timeout: 30000 });
      check(true, 'dummy: signInWithIdentity -> same principal');
      await ctx.close();
    }
    check(anchors[0] !== anchors[1], `the same dummy key registered two anchors (${anchors.join(', ')})`);
  } finally {
    server.kill();
  }
  // dummy_auth = opt opt record { prompt_for_index = true }: the page asks for the seed index (window.prompt).
  const prompting = await startDevServer(25193, 25194, ['--dummy-auth', '--prompt-for-index']);
  try {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`http://${II_ID}.localhost:25193/`);
    page.once('dialog', d => d.accept('7'));
    await page.locator('#registerButton').click();
    const anchor = (await page.locator('#userNumber').textContent({ timeout: 30000 })).trim();
    await page.locator('#displayUserContinue').click();
    await page.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    await page.locator('#logoutButton').click();
    page.once('dialog', d => d.accept('8'));
    await page.locator(`[data-anchor-id="${anchor}"]`).click();
    await page.locator('[data-page=error]').waitFor({ timeout: 30000 });
    check((await page.locator('[data-page=error] h1').textContent()) === 'No test key on this identity', 'prompt_for_index: another index cannot sign in');
    await page.locator('#errorContinue').click();
    page.once('dialog', d => d.accept('7'));
    await page.locator(`[data-anchor-id="${anchor}"]`).click();
    await page.locator('[data-role="identity-management"]').waitFor({ timeout: 30000 });
    check(true, `prompt_for_index: index 7 registered and signs in to ${anchor}`);
    await ctx.close();
  } finally {
    prompting.kill();
  }
}

// Pages without the canister's fixup, and /#authorize without a dapp.
async function miscMode(browser) {
  const server = await startDevServer(25203, 25204, ['--no-fixup']);
  try {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('http://127.0.0.1:25203/');
    await page.locator('[data-page=error]').waitFor({ timeout: 30000 });
    check((await page.locator('[data-page=error] h1').textContent()) === 'Canister id not set', 'no data-canister-id and no ?canisterId: "Canister id not set"');
    await shot(page, 'misc-01-no-canister-id');
    await page.goto(`http://127.0.0.1:25203/?canisterId=${II_ID}`);
    await page.locator('#registerButton').waitFor({ timeout: 30000 });
    check(await page.title() === 'Internet Identity', '?canisterId= fallback shows the landing page');
    await page.goto(`http://${II_ID}.localhost:25203/#authorize`);
    await page.locator('[data-page=error]').waitFor({ timeout: 30000 });
    check((await page.locator('[data-page=error] h1').textContent()) === 'Missing request', '/#authorize without an opener: "Missing request" after 10 s');
    await shot(page, 'misc-02-missing-request');
    await ctx.close();
  } finally {
    server.kill();
  }
}

const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true });
try {
  console.log(`chromium ${browser.version()}`);
  if (args.mode === 'passkey' || args.mode === 'all') { await passkeyMode(browser); }
  if (args.mode === 'dummy' || args.mode === 'all') { await dummyMode(browser); }
  if (args.mode === 'misc' || args.mode === 'all') { await miscMode(browser); }
  console.log('walkthrough passed');
} finally {
  await browser.close();
}
