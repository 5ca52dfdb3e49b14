// The manage page (`/` after sign-in): passkeys and recovery methods of the anchor, rename, remove, add a passkey here
// or from another browser, create a recovery phrase, sign out.
import { Connection, sameBytes, type Session } from '../connection';
import { describeError, rejectMessage } from '../errors';
import type { DeviceData, DeviceWithUsage } from '../idl';
import { alertBox, h, show, showBusy, showProblem } from '../ui';
import { addDeviceExisting, addPasskeyHere } from './addDevice';
import { authenticateBox } from './authBox';
import { addRecoveryPhrase } from './recovery';

type Action =
  | { kind: 'logout' }
  | { kind: 'rename'; device: DeviceWithUsage }
  | { kind: 'remove'; device: DeviceWithUsage }
  | { kind: 'addDevice' }
  | { kind: 'addPasskey' }
  | { kind: 'addRecoveryPhrase' };

const TEXTS = {
  firstTime: 'Internet Identity',
  firstTimeSub: 'Securely connect to dapps on the Internet Computer.',
  pick: 'Choose the identity you want to manage',
  useExisting: 'Enter the identity you want to manage',
};

function toDeviceData(d: DeviceWithUsage): DeviceData {
  return {
    pubkey: d.pubkey, alias: d.alias, credential_id: d.credential_id, aaguid: d.aaguid, purpose: d.purpose, key_type: d.key_type,
    protection: d.protection, origin: d.origin, metadata: d.metadata,
  };
}

function lastUsed(d: DeviceWithUsage): string {
  const ns = d.last_usage[0];
  return ns === undefined ? 'Not used yet' : `Last used ${new Date(Number(ns / 1_000_000n)).toLocaleString()}`;
}

function deviceItem(d: DeviceWithUsage, session: Session, canRemove: boolean, resolve: (a: Action) => void): HTMLLIElement {
  const current = session.devicePubkey !== undefined && sameBytes(session.devicePubkey, d.pubkey);
  const isPhrase = 'seed_phrase' in d.key_type;
  const menu = h('ul', { class: 'menu', hidden: true },
    isPhrase ? null : h('li', {}, h('button', {
      type: 'button', class: 'link', 'data-action': 'rename', 'data-device': d.alias, onclick: () => resolve({ kind: 'rename', device: d }),
    }, 'Rename')),
    h('li', {}, h('button', {
      type: 'button', class: 'link', 'data-action': 'remove', 'data-device': d.alias, disabled: !canRemove,
      title: canRemove ? undefined : 'The last way to sign in cannot be removed',
      onclick: () => resolve({ kind: 'remove', device: d }),
    }, 'Remove')));
  const toggle = h('button', {
    type: 'button', class: 'icon', 'data-action': 'open-settings', 'data-device': d.alias, 'aria-expanded': 'false',
    'aria-label': `Settings for ${d.alias}`,
    onclick: () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute('aria-expanded', String(!menu.hidden));
    },
  }, '\u22EF');
  return h('li', { 'data-device': d.alias, class: 'device' },
    h('span', { class: 'device-name' }, d.alias, current ? h('span', { class: 'badge' }, ' (this sign-in)') : null),
    h('span', { class: 'hint' }, isPhrase ? 'Recovery phrase' : lastUsed(d)),
    toggle, menu);
}

function managePage(session: Session, devices: DeviceWithUsage[], notice?: string): Promise<Action> {
  return new Promise(resolve => {
    const passkeys = devices.filter(d => 'authentication' in d.purpose);
    const recoveries = devices.filter(d => 'recovery' in d.purpose);
    const canRemove = devices.length > 1;
    const hasPhrase = recoveries.some(d => 'seed_phrase' in d.key_type);
    show(h('section', { class: 'card wide', 'data-role': 'identity-management' },
      h('h1', {}, 'Manage your Internet Identity'),
      h('p', {}, 'Identity number ', h('strong', { 'data-role': 'user-number' }, session.anchor.toString())),
      notice ? alertBox(notice) : null,
      h('aside', { 'data-role': 'passkeys', 'aria-labelledby': 'passkeysHeading' },
        h('h2', { id: 'passkeysHeading' }, 'Passkeys'),
        h('ul', { class: 'c-list' }, ...passkeys.map(d => deviceItem(d, session, canRemove, resolve))),
        h('button', { type: 'button', class: 'primary', id: 'addAdditionalDevice', onclick: () => resolve({ kind: 'addDevice' }) }, 'Add a passkey')),
      h('aside', { 'data-role': 'recoveries', 'aria-labelledby': 'recoveriesHeading' },
        h('h2', { id: 'recoveriesHeading' }, 'Recovery methods'),
        recoveries.length > 0
          ? h('ul', { class: 'c-list' }, ...recoveries.map(d => deviceItem(d, session, canRemove, resolve)))
          : h('p', { class: 'hint' }, 'No recovery method yet. Without one, losing your passkeys means losing this identity.'),
        hasPhrase ? null : h('button', { type: 'button', class: 'secondary', 'data-action': 'add-recovery-phrase', onclick: () => resolve({ kind: 'addRecoveryPhrase' }) }, 'Set up a recovery phrase')),
      h('button', { type: 'button', class: 'secondary', id: 'logoutButton', onclick: () => resolve({ kind: 'logout' }) }, 'Sign out')));
  });
}

function renamePage(device: DeviceWithUsage): Promise<string | undefined> {
  return new Promise(resolve => {
    const input = h('input', { id: 'renameInput', type: 'text', maxlength: 64, required: true, autofocus: true });
    input.value = device.alias;
    show(h('section', { class: 'card', 'data-page': 'rename-device' },
      h('h1', {}, `Rename "${device.alias}"`),
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); const v = input.value.trim(); if (v) { resolve(v); } } },
        h('label', { for: 'renameInput' }, 'New name'), input,
        h('button', { type: 'submit', class: 'primary', id: 'renameSave', 'data-action': 'save' }, 'Save')),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(undefined) }, 'Cancel')));
  });
}

function confirmRemove(device: DeviceWithUsage, current: boolean): Promise<boolean> {
  return new Promise(resolve => {
    const input = h('input', { id: 'confirmRemoveDeviceAlias', type: 'text', autocomplete: 'off', autofocus: true });
    const error = h('p', { class: 'alert', role: 'alert', hidden: true });
    show(h('section', { class: 'card', 'data-page': 'confirm-remove-device-page' },
      h('h1', {}, `Remove "${device.alias}"?`),
      h('p', {}, current
        ? 'You are signed in with it: you will be signed out afterwards.'
        : 'It will no longer be able to sign in to this identity.'),
      error,
      h('form', {
        onsubmit: (e: Event) => {
          e.preventDefault();
          if (input.value.trim() === device.alias) {
            resolve(true);
          } else {
            error.textContent = `Type "${device.alias}" exactly to confirm.`;
            error.hidden = false;
          }
        },
      },
      h('label', { for: 'confirmRemoveDeviceAlias' }, `Type "${device.alias}" to confirm`), input,
      h('button', { type: 'submit', class: 'danger', id: 'confirmRemoveDeviceButton' }, 'Remove')),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel')));
  });
}

/** Runs the page until the user signs out; returns true when the session ended by itself (expired). */
async function manageSession(session: Session): Promise<void> {
  let notice: string | undefined = session.method === 'recovery'
    ? 'You signed in with your recovery phrase. Add a passkey so you can sign in without it.' : undefined;
  for (;;) {
    let devices: DeviceWithUsage[];
    try {
      showBusy('Loading your identity\u2026');
      devices = (await session.actor.get_anchor_info(session.anchor)).devices;
    } catch (e) {
      await showProblem(describeError(e, 'Loading your identity'), /could not be authenticated/.test(rejectMessage(e)) ? 'Sign in again' : 'Try again');
      if (/could not be authenticated/.test(rejectMessage(e))) {
        return;
      }
      continue;
    }
    const action = await managePage(session, devices, notice);
    notice = undefined;
    try {
      switch (action.kind) {
        case 'logout':
          return;
        case 'rename': {
          const alias = await renamePage(action.device);
          if (alias !== undefined && alias !== action.device.alias) {
            showBusy('Renaming\u2026');
            await session.actor.update(session.anchor, action.device.pubkey, { ...toDeviceData(action.device), alias });
          }
          break;
        }
        case 'remove': {
          const current = session.devicePubkey !== undefined && sameBytes(session.devicePubkey, action.device.pubkey);
          if (await confirmRemove(action.device, current)) {
            showBusy('Removing\u2026');
            await session.actor.remove(session.anchor, action.device.pubkey);
            if (current) {
              return;
            }
          }
          break;
        }
        case 'addDevice':
          await addDeviceExisting(session, devices.map(toDeviceData));
          break;
        case 'addPasskey':
          await addPasskeyHere(session, devices.map(toDeviceData));
          break;
        case 'addRecoveryPhrase':
          await addRecoveryPhrase(session);
          break;
      }
    } catch (e) {
      await showProblem(describeError(e));
    }
  }
}

/** `/`: sign in, manage, sign out, again. */
export async function manageFlow(conn: Connection): Promise<never> {
  for (;;) {
    const session = await authenticateBox(conn, TEXTS);
    await manageSession(session);
  }
}
