// Adding a device. Existing browser: device registration mode, a link for the new browser, then the 6-digit code
// (verify_tentative_device) or a passkey on this browser (add). New browser: add_tentative_device with a real passkey,
// show the code and wait until the existing browser verified it.
import { authenticationDevice, Connection, sameBytes, type Session } from '../connection';
import { describeError, UserFacingError } from '../errors';
import type { DeviceData } from '../idl';
import { rememberAnchor } from '../storage';
import { alertBox, h, show, showBusy, showProblem } from '../ui';
import { createPasskey, passkeyAlias } from '../webauthn';

const POLL_MS = 2000;

function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

/** A #timer element counting down to `expirationNs` (epoch ns). */
function timer(expirationNs: bigint): HTMLElement {
  const el = h('span', { id: 'timer', 'aria-live': 'off' });
  const end = Number(expirationNs / 1_000_000n);
  const tick = () => {
    const left = Math.max(0, Math.floor((end - Date.now()) / 1000));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    if (left > 0 && el.isConnected) {
      setTimeout(tick, 1000);
    }
  };
  setTimeout(tick, 0);
  tick();
  return el;
}

/** A unique alias among the anchor's devices ("FIDO Passkey", "FIDO Passkey 2", ...). */
export function uniqueAlias(alias: string, devices: Array<{ alias: string }>): string {
  const taken = new Set(devices.map(d => d.alias));
  if (!taken.has(alias)) {
    return alias;
  }
  for (let i = 2; ; i++) {
    const candidate = `${alias} ${i}`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}

/** The link a new browser opens: this page's origin (and ?canisterId when the page uses one). */
export function addDeviceLink(anchor: bigint): string {
  const url = new URL('/', location.origin);
  const canisterId = new URLSearchParams(location.search).get('canisterId');
  if (canisterId) {
    url.searchParams.set('canisterId', canisterId);
  }
  url.searchParams.set('action', 'add-passkey');
  url.searchParams.set('ii', anchor.toString());
  return url.toString();
}

function donePage(title: string, text: string): Promise<void> {
  return new Promise(resolve => show(h('section', { class: 'card', 'data-page': 'device-added' },
    h('h1', {}, title), h('p', {}, text),
    h('button', { type: 'button', class: 'primary', 'data-action': 'next', id: 'deviceAddedContinue', autofocus: true, onclick: () => resolve() }, 'Continue'))));
}

/** Adds a passkey on this browser (needs real WebAuthn, also in dummy-auth mode). */
export async function addPasskeyHere(session: Session, devices: DeviceData[]): Promise<void> {
  showBusy('Create a passkey when your browser asks for it.');
  const passkey = await createPasskey(devices.flatMap(d => d.credential_id));
  const alias = uniqueAlias(passkeyAlias(passkey), devices);
  showBusy('Adding the passkey\u2026');
  await session.actor.add(session.anchor, authenticationDevice(alias, passkey.pubkey, passkey.credentialId, passkey.attachment, passkey.aaguid));
  await donePage('Passkey added', `"${alias}" can now sign in to identity ${session.anchor}.`);
}

type ExistingChoice = { kind: 'fido' } | { kind: 'cancel' } | { kind: 'tentative'; device: DeviceData } | { kind: 'expired' };

/** The existing browser's side: resolves when the user is done (device added, cancelled or timed out). */
export async function addDeviceExisting(session: Session, devices: DeviceData[]): Promise<void> {
  const { actor, anchor } = session;
  showBusy('Preparing to add a device\u2026');
  const expiration = await actor.enter_device_registration_mode(anchor);
  const link = addDeviceLink(anchor);
  let active = true;
  const choice = await new Promise<ExistingChoice>(resolve => {
    const copy = h('button', {
      type: 'button', class: 'secondary', id: 'seedCopy', 'data-action': 'copy-link',
      onclick: () => void navigator.clipboard?.writeText(link).then(() => { copy.textContent = 'Copied'; }, () => undefined),
    }, 'Copy link');
    show(h('section', { class: 'card', 'data-page': 'add-device' },
      h('h1', {}, 'Add a trusted device'),
      h('p', {}, 'On the new device, open this link and follow the steps. Then type here the code it shows.'),
      h('p', { class: 'link-box' }, h('a', { 'data-role': 'add-device-link', href: link, target: '_blank', rel: 'noopener' }, link), ' ', copy),
      h('p', { class: 'hint' }, 'Time left: ', timer(expiration)),
      h('button', { type: 'button', class: 'primary', 'data-action': 'use-fido', autofocus: true, onclick: () => resolve({ kind: 'fido' }) }, 'Add a passkey on this device instead'),
      h('button', { type: 'button', class: 'secondary', id: 'cancelAddRemoteDevice', onclick: () => resolve({ kind: 'cancel' }) }, 'Cancel')));
    void (async () => {
      while (active) {
        await sleep(POLL_MS);
        if (!active) {
          return;
        }
        if (BigInt(Date.now()) * 1_000_000n > expiration) {
          resolve({ kind: 'expired' });
          return;
        }
        try {
          const info = await actor.get_anchor_info(anchor);
          const tentative = info.device_registration[0]?.tentative_device[0];
          if (tentative) {
            resolve({ kind: 'tentative', device: tentative });
            return;
          }
        } catch {
          // A failed poll is retried; the timer bounds the wait.
        }
      }
    })();
  });
  active = false;
  switch (choice.kind) {
    case 'cancel':
      await actor.exit_device_registration_mode(anchor);
      return;
    case 'expired':
      throw new UserFacingError({ title: 'Time ran out', message: 'No new device showed up within 15 minutes.', next: 'Start again with "Add a passkey".' });
    case 'fido':
      await actor.exit_device_registration_mode(anchor);
      await addPasskeyHere(session, devices);
      return;
    case 'tentative':
      await verifyCode(session, choice.device, expiration);
  }
}

async function verifyCode(session: Session, device: DeviceData, expiration: bigint): Promise<void> {
  let problem: string | undefined;
  for (;;) {
    const code = await new Promise<string | undefined>(resolve => {
      const digits = Array.from({ length: 6 }, (_, i) => h('input', {
        type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', 'aria-label': `Digit ${i + 1}`, class: 'digit', autofocus: i === 0,
      }));
      digits.forEach((input, i) => {
        input.addEventListener('input', () => {
          const v = input.value.replace(/\D/g, '');
          if (v.length > 1) {
            // Pasted: spread the digits over this and the next boxes.
            [...v].slice(0, 6 - i).forEach((d, j) => { digits[i + j]!.value = d; });
            digits[Math.min(5, i + v.length - 1)]!.focus();
          } else {
            input.value = v;
            if (v && i < 5) {
              digits[i + 1]!.focus();
            }
          }
        });
        input.addEventListener('keydown', e => {
          if (e.key === 'Backspace' && input.value === '' && i > 0) {
            digits[i - 1]!.focus();
          }
        });
      });
      show(h('section', { class: 'card', 'data-page': 'verify-device' },
        h('h1', {}, 'Verify the new device'),
        h('p', {}, `A device named "${device.alias}" wants to join identity ${session.anchor}. Type the 6-digit code it shows.`),
        problem ? alertBox(problem) : null,
        h('form', {
          onsubmit: (e: Event) => { e.preventDefault(); resolve(digits.map(d => d.value).join('')); },
        },
        h('fieldset', { 'data-role': 'verification-code', class: 'digits' }, h('legend', {}, 'Verification code'), ...digits),
        h('p', { class: 'hint' }, 'Time left: ', timer(expiration)),
        h('button', { type: 'submit', class: 'primary', id: 'verifyDevice' }, 'Verify device')),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(undefined) }, 'Cancel')));
    });
    if (code === undefined) {
      await session.actor.exit_device_registration_mode(session.anchor);
      return;
    }
    if (!/^\d{6}$/.test(code)) {
      problem = 'The code has 6 digits.';
      continue;
    }
    showBusy('Verifying\u2026');
    const result = await session.actor.verify_tentative_device(session.anchor, code);
    if ('verified' in result) {
      await donePage('Device added', `"${device.alias}" can now sign in to identity ${session.anchor}.`);
      return;
    }
    if ('wrong_code' in result) {
      const left = result.wrong_code.retries_left;
      problem = `Wrong code. ${left} ${left === 1 ? 'attempt' : 'attempts'} left. Check the code on the new device.`;
      continue;
    }
    throw new UserFacingError('device_registration_mode_off' in result
      ? { title: 'Adding the device stopped', message: 'The time ran out or too many wrong codes were entered.', next: 'Start again with "Add a passkey" on this device.' }
      : { title: 'No device to verify', message: 'No new device is waiting to be added.', next: 'Start again with "Add a passkey" on this device.' });
  }
}

function promptAnchor(): Promise<bigint | undefined> {
  return new Promise(resolve => {
    const input = h('input', { id: 'addDeviceAnchor', 'data-role': 'anchor-input', type: 'text', inputmode: 'numeric', required: true, pattern: '[0-9]+', autofocus: true });
    show(h('section', { class: 'card', 'data-page': 'prompt-user-number' },
      h('h1', {}, 'Add this device to your identity'),
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); if (/^\d+$/.test(input.value.trim())) { resolve(BigInt(input.value.trim())); } } },
        h('label', { for: 'addDeviceAnchor' }, 'Identity number'), input,
        h('button', { type: 'submit', class: 'primary', 'data-action': 'continue' }, 'Continue')),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(undefined) }, 'Cancel')));
  });
}

function trustPrompt(anchor: bigint): Promise<boolean> {
  return new Promise(resolve => show(h('section', { class: 'card', 'data-page': 'trust-device' },
    h('h1', {}, 'Do you trust this device?'),
    h('p', {}, `Only add a device you own. Anyone with this device will be able to sign in to identity ${anchor}.`),
    h('button', { type: 'button', class: 'primary', id: 'trustDeviceConfirm', autofocus: true, onclick: () => resolve(true) }, 'Yes, I trust this device'),
    h('button', { type: 'button', class: 'secondary', id: 'trustDeviceCancel', onclick: () => resolve(false) }, 'Cancel'))));
}

function retryModeOff(anchor: bigint): Promise<boolean> {
  return new Promise(resolve => show(h('section', { class: 'card', 'data-page': 'device-reg-mode-off' },
    h('h1', {}, 'Adding devices is not turned on'),
    h('p', {}, `On a device already signed in to identity ${anchor}, choose "Add a passkey", then try again here.`),
    h('button', { type: 'button', class: 'primary', id: 'deviceRegModeDisabledRetry', autofocus: true, onclick: () => resolve(true) }, 'Retry'),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel'))));
}

/** The new browser's side; resolves with the anchor once the device was verified, or undefined if abandoned. */
export async function addDeviceNewBrowser(conn: Connection, anchorArg?: bigint): Promise<bigint | undefined> {
  const anchor = anchorArg ?? await promptAnchor();
  if (anchor === undefined || !(await trustPrompt(anchor))) {
    return undefined;
  }
  const actor = await conn.actor();
  showBusy(`Looking up identity ${anchor}\u2026`);
  const existing = await actor.lookup(anchor);
  if (existing.length === 0) {
    throw new UserFacingError({ title: 'Unknown identity', message: `Identity ${anchor} does not exist.`, next: 'Check the number and try again.' });
  }
  showBusy('Create a passkey when your browser asks for it.');
  const passkey = await createPasskey(existing.flatMap(d => d.credential_id));
  const device = authenticationDevice(passkeyAlias(passkey), passkey.pubkey, passkey.credentialId, passkey.attachment, passkey.aaguid);
  for (;;) {
    showBusy('Asking your identity to add this device\u2026');
    const result = await actor.add_tentative_device(anchor, device);
    if ('added_tentatively' in result) {
      const { verification_code: code, device_registration_timeout: timeout } = result.added_tentatively;
      let waiting = true;
      const cancelled = new Promise<boolean>(resolve => show(h('section', { class: 'card', 'data-page': 'show-verification-code' },
        h('h1', {}, 'Enter this code on your other device'),
        h('p', {}, `On the device already signed in to identity ${anchor}, type this code:`),
        h('output', { id: 'verificationCode', class: 'code', 'aria-label': 'Verification code' }, code),
        h('p', { class: 'hint' }, 'Time left: ', timer(timeout)),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(true) }, 'Cancel'))));
      const verified = (async () => {
        while (waiting) {
          await sleep(POLL_MS);
          if (BigInt(Date.now()) * 1_000_000n > timeout) {
            return false;
          }
          try {
            const devices = await actor.lookup(anchor);
            if (devices.some(d => d.credential_id.length === 1 && sameBytes(d.credential_id[0], passkey.credentialId))) {
              return true;
            }
          } catch {
            // Retried until the timeout.
          }
        }
        return false;
      })();
      const outcome = await Promise.race([verified.then(v => (v ? 'verified' : 'expired')), cancelled.then(() => 'cancelled')]);
      waiting = false;
      if (outcome === 'cancelled') {
        return undefined;
      }
      if (outcome === 'expired') {
        throw new UserFacingError({ title: 'Time ran out', message: 'The other device did not confirm the code in time.', next: 'Start again from your other device.' });
      }
      rememberAnchor(anchor);
      await donePage('This device was added', `You can now sign in to identity ${anchor} with this device.`);
      return anchor;
    }
    if ('device_registration_mode_off' in result) {
      if (await retryModeOff(anchor)) {
        continue;
      }
      return undefined;
    }
    throw new UserFacingError('another_device_tentatively_added' in result
      ? { title: 'Another device is waiting', message: 'Another new device is already waiting to be verified for this identity.', next: 'Finish or cancel that one on your other device first, then try again.' }
      : { title: 'Passkey already used', message: 'This passkey already belongs to an identity.', next: 'Use another passkey.' });
  }
}

/** The add-passkey link (`/?action=add-passkey&ii=N`): the new-browser flow, then the normal page. */
export async function addDeviceFromLink(conn: Connection, anchor: bigint): Promise<void> {
  try {
    await addDeviceNewBrowser(conn, anchor);
  } catch (e) {
    await showProblem(describeError(e, 'Adding this device'), 'Continue');
  }
}
