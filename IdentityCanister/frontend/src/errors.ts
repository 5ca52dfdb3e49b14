// Turns exceptions (agent rejects, WebAuthn DOMExceptions, network failures) into plain words with a next step.
import type { Problem } from './ui';

/** A problem we raise ourselves, already in plain words. */
export class UserFacingError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.message);
  }
}

/** The canister's reject message when the agent gives one, else the error text. */
export function rejectMessage(e: unknown): string {
  const cause = (e as { cause?: { code?: { rejectMessage?: string } } } | null)?.cause;
  const msg = cause?.code?.rejectMessage;
  if (typeof msg === 'string') {
    return msg;
  }
  return e instanceof Error ? e.message : String(e);
}

function isNetworkError(e: unknown): boolean {
  const text = rejectMessage(e);
  return (e instanceof TypeError && /fetch/i.test(e.message)) || /Failed to fetch|NetworkError|ECONNREFUSED|HTTP status code 5\d\d|TransportError/i.test(text);
}

/** Describes any failure in plain words. */
export function describeError(e: unknown, doing = 'That'): Problem {
  if (e instanceof UserFacingError) {
    return e.problem;
  }
  const detail = rejectMessage(e);
  if (e instanceof DOMException) {
    switch (e.name) {
      case 'NotAllowedError':
      case 'AbortError':
        return {
          title: 'The passkey was not used',
          message: 'The passkey prompt was cancelled, timed out, or the browser refused it.',
          next: 'Try again and confirm with your passkey (security key, fingerprint, face or device PIN) when the browser asks.',
          detail,
        };
      case 'InvalidStateError':
        return {
          title: 'This passkey is already registered',
          message: 'The authenticator you used already holds a passkey for this identity.',
          next: 'Use another authenticator, or sign in with this one instead.',
          detail,
        };
      case 'SecurityError':
        return {
          title: 'Passkeys are not allowed on this address',
          message: `The browser refused passkeys for ${location.host}. Passkeys need a domain name, not an IP address.`,
          next: 'Open Internet Identity at http://<canister-id>.localhost:<port>/ instead.',
          detail,
        };
      case 'NotSupportedError':
        return {
          title: 'Passkeys are not supported here',
          message: 'This browser or authenticator does not support the kind of passkey Internet Identity needs.',
          next: 'Try another browser or security key.',
          detail,
        };
      default:
        break;
    }
  }
  if (/rate limit/i.test(detail) || /RateLimitExceeded/.test(detail)) {
    return {
      title: 'Too many new identities right now',
      message: 'Internet Identity limits how fast new identities are created, and the limit is reached.',
      next: 'Wait a minute and try again.',
      detail,
    };
  }
  if (/could not be authenticated/i.test(detail)) {
    return {
      title: 'Not authorized',
      message: 'Internet Identity did not accept the key you signed in with for this identity (it may have been removed, or the session expired).',
      next: 'Sign in again.',
      detail,
    };
  }
  if (/out of range|bad Identity Anchor|failed to read device data/i.test(detail)) {
    return {
      title: 'Unknown identity',
      message: 'No Internet Identity exists with that number.',
      next: 'Check the number, or create a new Internet Identity.',
      detail,
    };
  }
  if (isNetworkError(e)) {
    return {
      title: 'Cannot reach the network',
      message: 'Internet Identity could not talk to the Internet Computer (the local network may be stopped or restarting).',
      next: 'Check that the network is running, then try again.',
      detail,
    };
  }
  return {
    title: 'Something went wrong',
    message: `${doing} did not work: ${detail}`,
    next: 'Try again; if it keeps failing, reload the page.',
  };
}
