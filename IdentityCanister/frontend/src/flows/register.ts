// Registration (II's v2 flow): a temporary session key starts the flow, the passkey (or dummy key) becomes the first
// device, an optional captcha, then identity_registration_finish; the temp key stays valid for this anchor for 10 min.
import { ECDSAKeyIdentity } from '@dfinity/identity';
import { Connection, deviceOrigin, dummyIdentity, dummyIndex, type Session } from '../connection';
import { UserFacingError } from '../errors';
import type { AuthnMethodData, IIService, MetadataMapV2, NextStep } from '../idl';
import { rememberAnchor } from '../storage';
import { alertBox, h, show, showBusy } from '../ui';
import { createPasskey, passkeyAlias } from '../webauthn';

/** Whether to show the "Create Passkey" page first (older II builds always did; `?construct_identity=true`). */
export function wantsConstructPage(): boolean {
  return new URLSearchParams(location.search).get('construct_identity') === 'true';
}

function constructPage(): Promise<boolean> {
  return new Promise(resolve => {
    show(h('section', { class: 'card', 'data-page': 'construct-identity' },
      h('h1', {}, 'Create a passkey'),
      h('p', {}, 'Your Internet Identity is protected by a passkey: your device\'s screen lock, fingerprint, face or a security key. '
        + 'Nothing about it leaves your device.'),
      h('button', { type: 'button', class: 'primary', 'data-action': 'construct-identity', autofocus: true, onclick: () => resolve(true) }, 'Create Passkey'),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel')));
  });
}

/** The captcha page; resolves once the backend accepts a solution. */
async function solveCaptcha(actor: IIService, firstImage: string): Promise<void> {
  let image = firstImage;
  let problem: string | undefined;
  for (;;) {
    const solution = await new Promise<string | undefined>(resolve => {
      const input = h('input', {
        id: 'captchaInput', name: 'captcha', type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
        required: true, autofocus: true, 'aria-describedby': 'captchaHelp',
      });
      const button = h('button', { type: 'submit', class: 'primary', id: 'confirmRegisterButton' }, 'Next');
      const form = h('form', {
        onsubmit: (e: Event) => {
          e.preventDefault();
          button.disabled = true;
          button.textContent = 'Verifying';
          resolve(input.value.trim());
        },
      },
      h('img', { src: `data:image/png;base64,${image}`, alt: 'Captcha: a picture of characters to type', class: 'captcha', width: 220 }),
      h('label', { for: 'captchaInput' }, 'Type the characters you see'),
      input,
      h('p', { id: 'captchaHelp', class: 'hint' }, 'This proves a person, not a program, creates the identity.'),
      button,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(undefined) }, 'Cancel'));
      show(h('section', { class: 'card', 'data-page': 'captcha' }, h('h1', {}, 'Prove you are human'), problem ? alertBox(problem) : null, form));
    });
    if (solution === undefined) {
      throw new UserFacingError({ title: 'Registration cancelled', message: 'No identity was created.', next: 'Start again whenever you like.' });
    }
    const result = await actor.check_captcha({ solution });
    if ('Ok' in result) {
      return;
    }
    const err = result.Err;
    if ('WrongSolution' in err) {
      image = err.WrongSolution.new_captcha_png_base64;
      problem = 'That was not right. Here is a new picture: type its characters.';
    } else if ('UnexpectedCall' in err) {
      if ('Finish' in err.UnexpectedCall.next_step) {
        return;
      }
      throw new Error('the captcha step was not expected');
    } else {
      throw new UserFacingError({
        title: 'Registration expired',
        message: 'Registration must be finished within 5 minutes, and that time ran out.',
        next: 'Start again to create your identity.',
      });
    }
  }
}

function successPage(anchor: bigint): Promise<void> {
  return new Promise(resolve => {
    const copy = h('button', {
      type: 'button', class: 'secondary', 'data-action': 'copy-anchor',
      onclick: () => void navigator.clipboard?.writeText(anchor.toString()).then(() => { copy.textContent = 'Copied'; }, () => undefined),
    }, 'Copy');
    show(h('section', { class: 'card', 'data-page': 'register-success' },
      h('h1', {}, 'You\u2019ve created an Internet Identity!'),
      h('p', {}, 'Save this number. You need it to sign in on other devices and to recover your identity.'),
      h('p', { class: 'anchor' },
        h('label', { for: 'userNumber' }, 'Your identity number'), ' ',
        h('output', { id: 'userNumber', 'data-usernumber': anchor.toString() }, anchor.toString()), ' ', copy),
      h('button', { type: 'button', class: 'primary', id: 'displayUserContinue', autofocus: true, onclick: () => resolve() }, 'I saved it, continue')));
  });
}

function startError(err: Record<string, null>): UserFacingError {
  if ('RateLimitExceeded' in err) {
    return new UserFacingError({
      title: 'Too many new identities right now',
      message: 'Internet Identity limits how fast new identities are created, and the limit is reached.',
      next: 'Wait a minute and try again.',
    });
  }
  if ('AlreadyInProgress' in err) {
    return new UserFacingError({ title: 'Registration already started', message: 'A registration is already in progress in this page.', next: 'Reload the page and try again.' });
  }
  return new UserFacingError({ title: 'Registration refused', message: 'Internet Identity refused to start a registration.', next: 'Reload the page and try again.' });
}

/** Creates a new anchor; resolves with a session (the temp key) after the user saw the number. */
export async function registerFlow(conn: Connection): Promise<Session | undefined> {
  const tempKey = await ECDSAKeyIdentity.generate({ extractable: false });
  const actor = await conn.actor(tempKey);
  // Started at once, as II does, so the captcha (if any) is ready when the passkey exists.
  const started = actor.identity_registration_start();
  started.catch(() => undefined);

  if (wantsConstructPage() && !(await constructPage())) {
    return undefined;
  }

  let pubkey: Uint8Array;
  let credentialId: Uint8Array;
  let alias: string;
  let attachment: string | undefined;
  if (conn.config.dummyAuth) {
    const dummy = dummyIdentity(dummyIndex(conn.config));
    pubkey = new Uint8Array(dummy.identity.getPublicKey().toDer());
    credentialId = dummy.credentialId;
    alias = 'Dummy Passkey';
  } else {
    showBusy('Create a passkey when your browser asks for it.');
    const passkey = await createPasskey();
    pubkey = passkey.pubkey;
    credentialId = passkey.credentialId;
    alias = passkeyAlias(passkey);
    attachment = passkey.attachment === 'platform' ? 'platform' : passkey.attachment === 'cross-platform' ? 'cross_platform' : undefined;
  }

  showBusy('Creating your Internet Identity\u2026');
  const start = await started;
  if ('Err' in start) {
    throw startError(start.Err as Record<string, null>);
  }
  const step: NextStep = start.Ok.next_step;
  if ('CheckCaptcha' in step) {
    await solveCaptcha(actor, step.CheckCaptcha.captcha_png_base64);
    showBusy('Creating your Internet Identity\u2026');
  }

  const metadata: MetadataMapV2 = [['alias', { String: alias }]];
  const origin = deviceOrigin();
  if (origin.length === 1) {
    metadata.push(['origin', { String: origin[0] }]);
  }
  if (attachment) {
    metadata.push(['authenticator_attachment', { String: attachment }]);
  }
  const authnMethod: AuthnMethodData = {
    authn_method: { WebAuthn: { pubkey, credential_id: credentialId, aaguid: [] } },
    security_settings: { protection: { Unprotected: null }, purpose: { Authentication: null } },
    metadata,
    last_authentication: [],
  };
  const finish = await actor.identity_registration_finish({ authn_method: authnMethod, name: [] });
  if ('Err' in finish) {
    const err = finish.Err;
    if ('NoRegistrationFlow' in err) {
      throw new UserFacingError({ title: 'Registration expired', message: 'Registration must be finished within 5 minutes, and that time ran out.', next: 'Start again to create your identity.' });
    }
    const text = 'InvalidAuthnMethod' in err ? err.InvalidAuthnMethod : 'StorageError' in err ? err.StorageError : 'an unexpected step';
    throw new UserFacingError({ title: 'Could not create the identity', message: `Internet Identity refused the new identity: ${text}.`, next: 'Try again.' });
  }
  const anchor = finish.Ok.identity_number;
  rememberAnchor(anchor);
  await successPage(anchor);
  return { anchor, actor, devicePubkey: pubkey, method: 'registration' };
}
