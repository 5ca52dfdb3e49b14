// /#authorize and /authorize: wait for the dapp's request, sign in, derive the dapp's principal with
// prepare_delegation / get_delegation, answer the dapp, and say that the window may be closed.
import type { Session } from '../connection';
import { Connection } from '../connection';
import { validateDerivationOrigin } from '../derivationOrigin';
import { describeError, UserFacingError } from '../errors';
import type { SignedDelegation } from '../idl';
import type { Channel, PendingChannel } from '../transport';
import { h, setBanner, show, showBusy, showProblem } from '../ui';
import { authenticateBox } from './authBox';

const GET_DELEGATION_RETRIES = 5;

function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

/** prepare_delegation, then get_delegation (a query on certified state, retried as II does). */
export async function fetchDelegation(session: Session, origin: string, sessionKey: Uint8Array, maxTimeToLive?: bigint): Promise<{ userKey: Uint8Array; delegation: SignedDelegation }> {
  const [userKey, expiration] = await session.actor.prepare_delegation(session.anchor, origin, sessionKey, maxTimeToLive === undefined ? [] : [maxTimeToLive]);
  for (let i = 0; i < GET_DELEGATION_RETRIES; i++) {
    const result = await session.actor.get_delegation(session.anchor, origin, sessionKey, expiration);
    if ('signed_delegation' in result) {
      return { userKey, delegation: result.signed_delegation };
    }
    await sleep(200 * (i + 1));
  }
  throw new UserFacingError({
    title: 'Could not sign you in',
    message: 'Internet Identity prepared your session but could not hand it out in time.',
    next: 'Close this window and sign in again from the dapp.',
  });
}

function finished(origin: string): void {
  setBanner(undefined);
  show(h('section', { class: 'card', 'data-page': 'authorize-success', role: 'status' },
    h('h1', {}, 'Authentication successful'),
    h('p', {}, `You are signed in to ${origin}. You may close this page.`)));
}

function authnMethodOf(session: Session): string {
  return session.method === 'recovery' ? 'recovery' : 'passkey';
}

/** Runs the whole authorization. */
export async function authorizeFlow(conn: Connection, pending: PendingChannel): Promise<void> {
  showBusy('Hang tight, connecting to the dapp\u2026');
  let channel: Channel;
  try {
    const first = await Promise.race([pending.channel, pending.invalid.then(v => v)]);
    if (!('request' in first)) {
      await showProblem({
        title: 'Invalid request',
        message: `${first.origin} sent a sign-in request Internet Identity cannot read: ${first.message}.`,
        next: 'Close this window. The dapp needs fixing (its request was refused).',
      }, 'Go to Internet Identity');
      location.assign('/');
      return;
    }
    channel = first;
  } catch {
    await showProblem({
      title: window.opener ? 'Connection closed' : 'Missing request',
      message: window.opener
        ? 'The dapp that opened this window did not send a sign-in request in time.'
        : 'This page is opened by a dapp when you sign in with Internet Identity; no dapp is waiting for it now.',
      next: 'Close this window and sign in from the dapp again, or go to Internet Identity to manage your identity.',
    }, 'Go to Internet Identity');
    location.assign('/');
    return;
  }

  const { request } = channel;
  setBanner(`Sign in to ${request.origin}`);
  showBusy('Checking the dapp\u2026');
  const derivation = await validateDerivationOrigin(request.origin, request.derivationOrigin);
  if (!derivation.ok) {
    channel.fail(`Invalid derivation origin: ${derivation.message}`);
    setBanner(undefined);
    await showProblem({
      title: 'Invalid Derivation Origin',
      message: `${request.origin} asked to sign in as ${request.derivationOrigin}, but that site does not allow it: ${derivation.message}.`,
      next: 'Close this window; the dapp\u2019s configuration needs fixing.',
    }, 'Close');
    window.close();
    return;
  }

  const texts = {
    firstTime: 'Securely connect with Internet Identity',
    firstTimeSub: `Create an Internet Identity to connect to ${request.origin}.`,
    pick: `Choose an identity to connect to ${request.origin}`,
    useExisting: `Enter your identity to connect to ${request.origin}`,
  };
  for (;;) {
    const session = await authenticateBox(conn, texts);
    try {
      showBusy('Hang tight, starting your session\u2026');
      const { userKey, delegation } = await fetchDelegation(session, derivation.origin, request.sessionPublicKey, request.maxTimeToLive);
      channel.succeed(userKey, delegation, authnMethodOf(session));
      finished(request.origin);
      return;
    } catch (e) {
      await showProblem(describeError(e, 'Signing in to the dapp'));
    }
  }
}
