// Boot: read the canister id and config, then route: /#authorize or /authorize -> authorize, ?action=add-passkey ->
// add this device to an identity, anything else -> sign in and manage.
import { ConfigError, readConfig, type FrontendConfig } from './config';
import { Connection } from './connection';
import { describeError } from './errors';
import { addDeviceFromLink } from './flows/addDevice';
import { authorizeFlow } from './flows/authorize';
import { manageFlow } from './flows/manage';
import { listenForRequest } from './transport';
import { h, showProblem } from './ui';

function isAuthorize(): boolean {
  return location.hash === '#authorize' || location.pathname === '/authorize' || location.pathname === '/authorize/';
}

async function main(): Promise<void> {
  // Listen before anything awaits, so the dapp's first message cannot be missed.
  const pending = isAuthorize() ? listenForRequest() : undefined;
  let config: FrontendConfig;
  try {
    config = readConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) {
      throw e;
    }
    await showProblem({ title: 'Canister id not set', message: e.message }, 'Reload');
    location.reload();
    return;
  }
  if (config.dummyAuth) {
    document.getElementById('app')?.before(h('p', { class: 'dev-banner', role: 'note' },
      'Test mode: dummy authentication, no passkeys. Never use this network for real identities.'));
  }
  const conn = new Connection(config);
  if (pending) {
    await authorizeFlow(conn, pending);
    return;
  }
  const params = new URLSearchParams(location.search);
  const ii = params.get('ii');
  if (params.get('action') === 'add-passkey' && ii && /^\d+$/.test(ii)) {
    await addDeviceFromLink(conn, BigInt(ii));
    params.delete('action');
    params.delete('ii');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? '?' + rest : ''}`);
  }
  await manageFlow(conn);
}

main().catch(async (e: unknown) => {
  console.error(e);
  await showProblem(describeError(e), 'Reload');
  location.reload();
});
