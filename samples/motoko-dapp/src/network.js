// Where the dapp finds the IC and Internet Identity, from the address it was loaded from.

/** Internet Identity's canister id, the same on the local network as on mainnet. */
export const II_CANISTER_ID = 'rdmx6-jaaaa-aaaaa-aaadq-cai';

/**
 * Served by the local network (`http://<canister-id>.localhost:4943/`): the IC API and Internet Identity are on the
 * same port. Anywhere else: mainnet.
 */
export function networkFor(location) {
  const { hostname, port, protocol } = location;
  const local = hostname === 'localhost' || hostname === '127.0.0.1' || hostname.endsWith('.localhost');
  if (!local) {
    return { local: false, host: 'https://icp-api.io', identityProvider: 'https://identity.internetcomputer.org' };
  }

  const localPort = port || (protocol === 'https:' ? '443' : '80');
  return {
    local: true,
    host: `http://127.0.0.1:${localPort}`,
    // WebAuthn needs a host name (passkeys cannot belong to 127.0.0.1): II's own subdomain of localhost.
    identityProvider: `http://${II_CANISTER_ID}.localhost:${localPort}`,
  };
}
