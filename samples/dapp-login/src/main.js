// Sign in with Internet Identity, then call the whoami canister as the signed-in user.
import { Actor, HttpAgent } from '@dfinity/agent';
import { AuthClient } from '@dfinity/auth-client';
import { networkFor, WHOAMI_CANISTER_ID } from './network.js';

// whoami's Candid interface: the update `whoami` answers with the caller's principal, certified by the subnet.
const whoamiIdl = ({ IDL }) =>
  IDL.Service({
    whoami: IDL.Func([], [IDL.Principal], []),
    whoami_query: IDL.Func([], [IDL.Principal], ['query']),
  });

const EIGHT_HOURS_NS = 8n * 3_600n * 1_000_000_000n;

// ?derivationOrigin=<origin>: sign in with the principal of another origin that lists this one in its
// /.well-known/ii-alternative-origins (II refuses otherwise).
const derivationOrigin = new URLSearchParams(window.location.search).get('derivationOrigin') ?? undefined;

const element = (tid) => document.querySelector(`[data-tid="${tid}"]`);
const ui = {
  status: element('status'),
  login: element('login-button'),
  logout: element('logout-button'),
  session: element('session'),
  principal: element('principal'),
  error: element('error'),
};

const network = networkFor(window.location);
element('identity-provider').textContent = network.identityProvider;
element('host').textContent = network.host;

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

function showSignedOut(message = 'You are signed out.') {
  ui.status.textContent = message;
  ui.session.hidden = true;
  ui.principal.textContent = '';
  ui.logout.hidden = true;
  ui.login.hidden = false;
  ui.login.disabled = false;
}

async function showSignedIn(identity) {
  ui.error.hidden = true;
  ui.login.disabled = true;
  ui.status.textContent = 'Signed in; asking the whoami canister who you are…';
  try {
    // fetchRootKey: the local network has its own root key. Never fetch it on mainnet.
    const agent = await HttpAgent.create({ host: network.host, identity, shouldFetchRootKey: network.local });
    const whoami = Actor.createActor(whoamiIdl, { agent, canisterId: WHOAMI_CANISTER_ID });
    const principal = await whoami.whoami();
    ui.principal.textContent = principal.toText();
    ui.session.hidden = false;
    ui.login.hidden = true;
    ui.logout.hidden = false;
    ui.status.textContent = 'You are signed in.';
  } catch (e) {
    showSignedOut('You are signed in, but the whoami canister could not be reached.');
    showError(`whoami failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const authClient = await AuthClient.create();

ui.login.addEventListener('click', () => {
  ui.error.hidden = true;
  ui.login.disabled = true;
  ui.status.textContent = 'Waiting for Internet Identity…';
  authClient.login({
    identityProvider: network.identityProvider,
    maxTimeToLive: EIGHT_HOURS_NS,
    derivationOrigin,
    onSuccess: () => showSignedIn(authClient.getIdentity()),
    onError: (reason) => {
      showSignedOut();
      showError(`Sign-in did not complete: ${reason ?? 'unknown error'}`);
    },
  });
});

ui.logout.addEventListener('click', async () => {
  await authClient.logout();
  showSignedOut();
});

if (await authClient.isAuthenticated()) {
  await showSignedIn(authClient.getIdentity());
} else {
  showSignedOut();
}
