// What the conformance scripts share: the gateway URL argument, the whoami canister, checks, and the one JSON
// object each prints (exit 1 with the reason on stderr when a check fails).
import { Principal } from '@dfinity/principal';

/** The tiny canister whose `whoami` replies with the caller's principal. */
export const WHOAMI = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');

/** The gateway URL from the command line; exits 2 with a usage line when it is missing. */
export function gatewayUrl(script) {
  const url = process.argv[2];
  if (!url) {
    console.error(`usage: node ${script} <gateway-url>`);
    process.exit(2);
  }
  return url;
}

/** Fails the run with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Runs `body(result)`; prints `result` with ok: true, or with ok: false and the error (then exits 1). */
export async function runConformance(body) {
  const result = {};
  try {
    await body(result);
    result.ok = true;
    console.log(JSON.stringify(result));
  } catch (e) {
    console.error(e?.stack ?? String(e));
    console.log(JSON.stringify({ ...result, ok: false, error: String(e?.message ?? e) }));
    process.exit(1);
  }
}

/** Runs a call that must be refused; returns the agent's error text (fails the run when the call succeeds). */
export async function refused(what, call) {
  try {
    await call();
  } catch (e) {
    return String(e?.message ?? e);
  }
  throw new Error(`${what} succeeded, expected a refusal`);
}
