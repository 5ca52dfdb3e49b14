// Recovery phrases: creating one on the manage page, and signing in with one when all passkeys are lost.
import { Connection, deviceOrigin, sameBytes, type Session } from '../connection';
import type { DeviceData } from '../idl';
import { identityFromMnemonic, newMnemonic, parsePhrase } from '../recoveryPhrase';
import { rememberAnchor } from '../storage';
import { alertBox, h, show, showBusy } from '../ui';

const CHECK_INDICES = [0, 1, 23];

function infoPage(): Promise<boolean> {
  return new Promise(resolve => show(h('section', { class: 'card', 'data-page': 'add-recovery-phrase' },
    h('h1', {}, 'Set up a recovery phrase'),
    h('p', {}, 'A recovery phrase is 24 words that give back access to your identity if you lose your passkeys. '
      + 'Anyone who knows it can take over your identity: write it on paper and keep it safe.'),
    h('button', { type: 'button', class: 'primary', 'data-action': 'next', autofocus: true, onclick: () => resolve(true) }, 'Continue'),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel'))));
}

function phrasePage(anchor: bigint, words: string[]): Promise<boolean> {
  return new Promise(resolve => {
    const full = `${anchor} ${words.join(' ')}`;
    const list = h('ol', { class: 'c-list c-list--recovery', 'data-role': 'recovery-words', 'aria-label': 'Recovery phrase' },
      h('li', { class: 'c-list--anchor' }, anchor.toString()));
    for (const w of words) {
      // A space between items so that the list's text is the phrase itself.
      list.append(' ', h('li', { class: 'c-list--recovery-word' }, w));
    }
    const cont = h('button', { type: 'button', class: 'primary', id: 'displaySeedPhraseContinue', disabled: true, onclick: () => resolve(true) }, 'Continue');
    const ack = h('input', { type: 'checkbox', id: 'ack-checkbox', onchange: () => { cont.disabled = !ack.checked; } });
    const copy = h('button', {
      type: 'button', class: 'secondary', id: 'seedCopy', 'data-action': 'copy',
      onclick: () => void navigator.clipboard?.writeText(full).then(() => { copy.textContent = 'Copied'; }, () => undefined),
    }, 'Copy');
    show(h('section', { class: 'card', 'data-page': 'recovery-phrase' },
      h('h1', {}, 'Your recovery phrase'),
      h('p', {}, 'Write down the identity number and the 24 words, in this order.'),
      list, copy,
      h('p', { class: 'check' }, ack, ' ', h('label', { for: 'ack-checkbox' }, 'I have written down my recovery phrase')),
      cont,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel')));
  });
}

/** Asks for words 1, 2 and 24; resolves true when all match, false for "back". */
function confirmPage(words: string[]): Promise<boolean> {
  return new Promise(resolve => {
    const inputs = CHECK_INDICES.map((i, n) => h('input', {
      id: `recoveryWord${i + 1}`, type: 'text', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', 'data-word-index': i + 1, autofocus: n === 0,
    }));
    const error = h('p', { class: 'alert', role: 'alert', hidden: true });
    show(h('section', { class: 'card', 'data-page': 'confirm-recovery-phrase' },
      h('h1', {}, 'Confirm your recovery phrase'),
      h('p', {}, 'Type these words of your phrase to show you wrote it down.'),
      error,
      h('form', {
        onsubmit: (e: Event) => {
          e.preventDefault();
          const wrong = CHECK_INDICES.filter((i, n) => inputs[n]!.value.trim().toLowerCase() !== words[i]);
          if (wrong.length === 0) {
            resolve(true);
            return;
          }
          error.textContent = `Word ${wrong.map(i => `#${i + 1}`).join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not match. Check your notes.`;
          error.hidden = false;
        },
      },
      ...CHECK_INDICES.flatMap((i, n) => [h('label', { for: `recoveryWord${i + 1}` }, `Word #${i + 1}`), inputs[n]!]),
      h('button', { type: 'submit', class: 'primary', 'data-action': 'next' }, 'Confirm')),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'back', onclick: () => resolve(false) }, 'Back')));
  });
}

/** Creates a recovery phrase and adds its key (seed_phrase, recovery) to the anchor. */
export async function addRecoveryPhrase(session: Session): Promise<void> {
  if (!(await infoPage())) {
    return;
  }
  const words = newMnemonic();
  for (;;) {
    if (!(await phrasePage(session.anchor, words))) {
      return;
    }
    if (await confirmPage(words)) {
      break;
    }
  }
  showBusy('Saving your recovery phrase\u2026');
  const pubkey = new Uint8Array(identityFromMnemonic(words).getPublicKey().toDer());
  const device: DeviceData = {
    pubkey,
    alias: 'Recovery phrase',
    credential_id: [],
    aaguid: [],
    purpose: { recovery: null },
    key_type: { seed_phrase: null },
    protection: { unprotected: null },
    origin: deviceOrigin(),
    metadata: [],
  };
  await session.actor.add(session.anchor, device);
  await new Promise<void>(resolve => show(h('section', { class: 'card', 'data-page': 'recovery-phrase-added' },
    h('h1', {}, 'Recovery phrase saved'),
    h('p', {}, 'Keep it safe. You can use it under "Lost Access?" to get back into your identity.'),
    h('button', { type: 'button', class: 'primary', 'data-action': 'next', autofocus: true, onclick: () => resolve() }, 'Continue'))));
}

function chooseMethod(): Promise<boolean> {
  return new Promise(resolve => show(h('section', { class: 'card', 'data-page': 'recover-method' },
    h('h1', {}, 'Recover your identity'),
    h('p', {}, 'Lost your passkeys? Use the recovery phrase you wrote down.'),
    h('button', { type: 'button', class: 'primary', 'data-action': 'recover-with-phrase', autofocus: true, onclick: () => resolve(true) }, 'Use recovery phrase'),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(false) }, 'Cancel'))));
}

function enterPhrase(problem?: string, previous = ''): Promise<string | undefined> {
  return new Promise(resolve => {
    const input = h('textarea', {
      id: 'recoveryPhrase', 'data-role': 'recovery-phrase-input', rows: 5, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', autofocus: true,
      'aria-describedby': 'recoveryPhraseHelp',
    });
    input.value = previous;
    show(h('section', { class: 'card', 'data-page': 'recover-with-phrase' },
      h('h1', {}, 'Enter your recovery phrase'),
      problem ? alertBox(problem) : null,
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); resolve(input.value); } },
        h('label', { for: 'recoveryPhrase' }, 'Recovery phrase'),
        input,
        h('p', { id: 'recoveryPhraseHelp', class: 'hint' }, 'Your identity number followed by the 24 words, separated by spaces.'),
        h('button', { type: 'submit', class: 'primary', 'data-action': 'next', id: 'recoverContinue' }, 'Continue')),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => resolve(undefined) }, 'Cancel')));
  });
}

/** Signs in with a recovery phrase; undefined when the user cancels. */
export async function recoverFlow(conn: Connection): Promise<Session | undefined> {
  if (!(await chooseMethod())) {
    return undefined;
  }
  let problem: string | undefined;
  let text = '';
  for (;;) {
    const input = await enterPhrase(problem, text);
    if (input === undefined) {
      return undefined;
    }
    text = input;
    const parsed = parsePhrase(input);
    if (!parsed.ok) {
      problem = parsed.message;
      continue;
    }
    if (parsed.anchor === undefined) {
      problem = 'Start with your identity number (the number before the 24 words).';
      continue;
    }
    showBusy(`Checking the phrase for identity ${parsed.anchor}\u2026`);
    const identity = identityFromMnemonic(parsed.words);
    const key = new Uint8Array(identity.getPublicKey().toDer());
    const creds = await (await conn.actor()).get_anchor_credentials(parsed.anchor);
    if (!creds.recovery_phrases.some(p => sameBytes(p, key))) {
      problem = creds.recovery_phrases.length === 0
        ? `Identity ${parsed.anchor} has no recovery phrase (or does not exist). Check the number.`
        : `This phrase does not belong to identity ${parsed.anchor}. Check the number and the words.`;
      continue;
    }
    const session = await conn.sessionFor(parsed.anchor, identity, 'recovery');
    rememberAnchor(parsed.anchor);
    return session;
  }
}
