// The authentication box shared by the manage page and the authorize page: first-time, pick and use-existing screens,
// sign-in with a passkey (or the dummy key), and the ways out to registration, tentative devices and recovery.
import { Connection, dummyIdentity, dummyIndex, sameBytes, type Session } from '../connection';
import { describeError, UserFacingError } from '../errors';
import { rememberAnchor, usedAnchors } from '../storage';
import { alertBox, h, show, showBusy, showProblem } from '../ui';
import { PasskeyIdentity } from '../webauthn';
import { addDeviceNewBrowser } from './addDevice';
import { recoverFlow } from './recovery';
import { registerFlow } from './register';

export interface BoxTexts {
  firstTime: string;
  firstTimeSub: string;
  pick: string;
  useExisting: string;
}

type Choice =
  | { kind: 'register' }
  | { kind: 'login'; anchor: bigint }
  | { kind: 'useExisting' }
  | { kind: 'addDevice' }
  | { kind: 'recover' };

function firstTimeScreen(t: BoxTexts): Promise<Choice> {
  return new Promise(resolve => {
    show(h('section', { class: 'card', 'data-page': 'authenticate' },
      h('h1', {}, t.firstTime),
      h('p', {}, t.firstTimeSub),
      h('button', { type: 'button', class: 'primary', id: 'registerButton', autofocus: true, onclick: () => resolve({ kind: 'register' }) }, 'Create Internet Identity'),
      h('button', { type: 'button', class: 'secondary', id: 'loginButton', onclick: () => resolve({ kind: 'useExisting' }) }, 'Use existing'),
      h('p', { class: 'hint' }, h('a', { href: 'https://internetcomputer.org/internet-identity', target: '_blank', rel: 'noopener' }, 'Learn more about Internet Identity'))));
  });
}

function pickScreen(t: BoxTexts, anchors: bigint[]): Promise<Choice> {
  return new Promise(resolve => {
    show(h('section', { class: 'card', 'data-page': 'pick' },
      h('h1', {}, t.pick),
      h('ul', { class: 'c-list c-list--anchors', 'aria-label': 'Identities used on this device' },
        ...anchors.map((a, i) => h('li', {},
          h('button', { type: 'button', class: 'anchor-button', 'data-anchor-id': a.toString(), autofocus: i === 0, onclick: () => resolve({ kind: 'login', anchor: a }) }, a.toString())))),
      h('button', { type: 'button', class: 'secondary', 'data-role': 'more-options', onclick: () => resolve({ kind: 'useExisting' }) }, 'More options')));
  });
}

function useExistingScreen(t: BoxTexts, problem?: string): Promise<Choice> {
  return new Promise(resolve => {
    const input = h('input', {
      id: 'anchorInput', 'data-role': 'anchor-input', type: 'text', inputmode: 'numeric', autocomplete: 'off', required: true,
      pattern: '[0-9]+', autofocus: true, 'aria-describedby': 'anchorHelp',
    });
    const error = h('p', { class: 'alert', role: 'alert', hidden: true });
    const submit = (e?: Event) => {
      e?.preventDefault();
      const v = input.value.trim();
      if (!/^\d+$/.test(v)) {
        error.textContent = 'An identity number has digits only, e.g. 10000.';
        error.hidden = false;
        input.focus();
        return;
      }
      resolve({ kind: 'login', anchor: BigInt(v) });
    };
    show(h('section', { class: 'card', 'data-page': 'use-existing' },
      h('h1', {}, t.useExisting),
      problem ? alertBox(problem) : null,
      h('form', { onsubmit: submit },
        h('label', { for: 'anchorInput' }, 'Identity number'),
        input,
        h('p', { id: 'anchorHelp', class: 'hint' }, 'The number you saved when you created your Internet Identity.'),
        error,
        h('button', { type: 'submit', class: 'primary', 'data-action': 'continue' }, 'Continue')),
      h('button', { type: 'button', class: 'secondary', id: 'addNewDeviceButton', onclick: () => resolve({ kind: 'addDevice' }) }, 'Continue with another device'),
      h('button', { type: 'button', class: 'link', id: 'registerButton', onclick: () => resolve({ kind: 'register' }) }, 'Create New'),
      h('a', { href: '#', id: 'recoverButton', class: 'link', onclick: (e: Event) => { e.preventDefault(); resolve({ kind: 'recover' }); } }, 'Lost Access?')));
  });
}

/** Signs in to `anchor` with one of its passkeys (or the dummy key): a 10-minute session delegation. */
export async function login(conn: Connection, anchor: bigint): Promise<Session> {
  showBusy(`Looking up identity ${anchor}\u2026`);
  const anonymous = await conn.actor();
  const devices = (await anonymous.lookup(anchor)).filter(d => 'authentication' in d.purpose);
  if (devices.length === 0) {
    throw new UserFacingError({
      title: 'Unknown identity',
      message: `Identity ${anchor} does not exist, or it has no passkey to sign in with.`,
      next: 'Check the number, recover the identity with its recovery phrase, or create a new Internet Identity.',
    });
  }
  if (conn.config.dummyAuth) {
    const dummy = dummyIdentity(dummyIndex(conn.config));
    const key = new Uint8Array(dummy.identity.getPublicKey().toDer());
    if (!devices.some(d => sameBytes(d.pubkey, key))) {
      throw new UserFacingError({
        title: 'No test key on this identity',
        message: `Identity ${anchor} was not created with the dummy test key of this network, so it cannot sign in without a passkey.`,
        next: 'Create a new identity here, or open Internet Identity with passkeys.',
      });
    }
    showBusy('Signing in\u2026');
    const session = await conn.sessionFor(anchor, dummy.identity, 'dummy');
    rememberAnchor(anchor);
    return session;
  }
  const credentials = devices.flatMap(d => d.credential_id.length === 1 ? [{ credentialId: d.credential_id[0], pubkey: d.pubkey }] : []);
  if (credentials.length === 0) {
    throw new UserFacingError({
      title: 'No passkey on this identity',
      message: `Identity ${anchor} has no passkey to sign in with.`,
      next: 'Recover it with its recovery phrase.',
    });
  }
  showBusy('Use your passkey when your browser asks for it.');
  const session = await conn.sessionFor(anchor, new PasskeyIdentity(credentials), 'passkey');
  rememberAnchor(anchor);
  return session;
}

/** Loops until the user is signed in (or registered). */
export async function authenticateBox(conn: Connection, t: BoxTexts): Promise<Session> {
  let screen: 'landing' | 'useExisting' = 'landing';
  for (;;) {
    const anchors = usedAnchors();
    const choice = screen === 'useExisting' ? await useExistingScreen(t)
      : anchors.length > 0 ? await pickScreen(t, anchors) : await firstTimeScreen(t);
    try {
      switch (choice.kind) {
        case 'useExisting':
          screen = 'useExisting';
          continue;
        case 'login':
          return await login(conn, choice.anchor);
        case 'register': {
          const session = await registerFlow(conn);
          if (session) {
            return session;
          }
          break;
        }
        case 'addDevice': {
          const anchor = await addDeviceNewBrowser(conn);
          if (anchor !== undefined) {
            return await login(conn, anchor);
          }
          break;
        }
        case 'recover': {
          const session = await recoverFlow(conn);
          if (session) {
            return session;
          }
          break;
        }
      }
    } catch (e) {
      await showProblem(describeError(e, 'Signing in'));
    }
    screen = 'landing';
  }
}
