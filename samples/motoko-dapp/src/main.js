// Sign in with Internet Identity, then call the Motoko backend as the signed-in user and show who it saw.
import { Actor, HttpAgent } from '@dfinity/agent';
import { AuthClient } from '@dfinity/auth-client';
import { Principal } from '@dfinity/principal';
import { backendIdl } from './backend.idl.js';
import { networkFor } from './network.js';

const EIGHT_HOURS_NS = 8n * 3_600n * 1_000_000_000n;

const element = (tid) => document.querySelector(`[data-tid="${tid}"]`);
const ui = {
  status: element('status'),
  login: element('login-button'),
  logout: element('logout-button'),
  backendId: element('backend-id'),
  call: element('call-button'),
  you: element('you'),
  answer: element('answer'),
  principal: element('principal'),
  match: element('match'),
  error: element('error'),
};

const network = networkFor(window.location);
element('identity-provider').textContent = network.identityProvider;
element('host').textContent = network.host;
// `iinet deploy` prints the backend's id; open the page with ?backend=<id> or type it in.
ui.backendId.value = new URLSearchParams(window.location.search).get('backend') ?? '';

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

// A reject carries the canister's own text and the IC's error code; other failures (an expired delegation refused by
// the network, no network at all) have only a message.
function describe(e) {
  const code = e?.code;
  if (code?.rejectMessage !== undefined) {
    return `${code.rejectMessage}${code.rejectErrorCode ? ` (${code.rejectErrorCode})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

function showSession(identity) {
  const principal = identity.getPrincipal();
  const signedIn = !principal.isAnonymous();
  ui.status.textContent = signedIn ? 'You are signed in.' : 'You are signed out: the backend will see the anonymous principal.';
  ui.you.textContent = principal.toText();
  ui.login.hidden = signedIn;
  ui.login.disabled = false;
  ui.logout.hidden = !signedIn;
  ui.answer.hidden = true;
}

const authClient = await AuthClient.create();

async function callBackend() {
  ui.error.hidden = true;
  ui.answer.hidden = true;
  let canisterId;
  try {
    canisterId = Principal.fromText(ui.backendId.value.trim());
  } catch {
    showError(`"${ui.backendId.value}" is not a canister id: deploy the backend with iinet deploy and paste the id it prints.`);
    ui.backendId.focus();
    return;
  }

  ui.call.disabled = true;
  ui.status.textContent = 'Asking the backend who you are…';
  const identity = authClient.getIdentity();
  try {
    // fetchRootKey: the local network has its own root key. Never fetch it on mainnet.
    const agent = await HttpAgent.create({ host: network.host, identity, shouldFetchRootKey: network.local });
    const backend = Actor.createActor(backendIdl, { agent, canisterId });
    const seen = await backend.whoami_checked();
    ui.principal.textContent = seen.toText();
    ui.match.textContent = seen.toText() === identity.getPrincipal().toText()
      ? 'That is your principal for this dapp: the pseudonym Internet Identity made for you and this origin.'
      : 'That is not the principal of your session.';
    ui.answer.hidden = false;
    ui.status.textContent = 'The backend answered.';
  } catch (e) {
    ui.status.textContent = 'The backend did not answer.';
    showError(`The backend refused: ${describe(e)}`);
  } finally {
    ui.call.disabled = false;
  }
}

ui.login.addEventListener('click', () => {
  ui.error.hidden = true;
  ui.login.disabled = true;
  ui.status.textContent = 'Waiting for Internet Identity…';
  authClient.login({
    identityProvider: network.identityProvider,
    maxTimeToLive: EIGHT_HOURS_NS,
    onSuccess: () => showSession(authClient.getIdentity()),
    onError: (reason) => {
      showSession(authClient.getIdentity());
      showError(`Sign-in did not complete: ${reason ?? 'unknown error'}`);
    },
  });
});

ui.logout.addEventListener('click', async () => {
  await authClient.logout();
  showSession(authClient.getIdentity());
});

element('call-form').addEventListener('submit', (event) => {
  event.preventDefault();
  callBackend();
});
ui.call.disabled = false;
showSession(authClient.getIdentity());
