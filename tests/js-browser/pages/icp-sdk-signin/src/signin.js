// @icp-sdk/auth 7.1.0's signIn() (ICRC-25/29/34 over postMessage) against the local II's /authorize page, then whoami
// as the returned identity. The network's port comes in the query: ?iinetPort=<port>.
import { AuthClient } from '@icp-sdk/auth/client';
import { Actor, HttpAgent } from '@icp-sdk/core/agent';

const WHOAMI = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';
const port = new URLSearchParams(window.location.search).get('iinetPort');
const element = (tid) => document.querySelector(`[data-tid="${tid}"]`);
const whoamiIdl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], []) });

const authClient = new AuthClient({ identityProvider: `http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:${port}/authorize` });
const button = element('login-button');

// signIn() must run inside the click handler: the signer refuses to open its window otherwise.
button.addEventListener('click', async () => {
  button.disabled = true;
  element('status').textContent = 'Waiting for Internet Identity…';
  try {
    const identity = await authClient.signIn();
    element('identity-principal').textContent = identity.getPrincipal().toText();
    const agent = await HttpAgent.create({ host: `http://127.0.0.1:${port}`, identity, shouldFetchRootKey: true });
    const principal = await Actor.createActor(whoamiIdl, { agent, canisterId: WHOAMI }).whoami();
    element('principal').textContent = principal.toText();
    element('principal').hidden = false;
    element('status').textContent = 'Signed in.';
  } catch (e) {
    element('error').textContent = `Sign-in failed: ${e instanceof Error ? e.message : String(e)}`;
    element('status').textContent = 'Signed out.';
    button.disabled = false;
  }
});

element('status').textContent = port ? 'Signed out.' : 'Missing ?iinetPort=<port> in the URL.';
button.disabled = !port;
