// II's own answer for an anchor, independent of the browser: get_principal(anchor, origin), asked as the anchor's
// device. Under `iinet up --ii-dummy-auth` every anchor's device is II's DummyIdentity: the Ed25519 key of the
// 32-zero-byte seed (DER 302a300506032b65700321003b6a27bc…).
import { Actor, HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { II_CANISTER_ID } from './iinet.mjs';

const iiIdl = ({ IDL }) => IDL.Service({
  get_principal: IDL.Func([IDL.Nat64, IDL.Text], [IDL.Principal], ['query']),
});

/** II's dummy-auth device key. */
export const dummyDevice = () => Ed25519KeyIdentity.generate(new Uint8Array(32));

/**
 * The principal II derives for `anchor` at `origin` (scheme://host:port, as the dapp's window reports it). Call it after
 * a sign-in: like the real II, get_principal traps until the first prepare_delegation has set II's salt.
 */
export async function iiPrincipal(network, anchor, origin) {
  const agent = await HttpAgent.create({ host: network.url, identity: dummyDevice(), shouldFetchRootKey: true });
  const ii = Actor.createActor(iiIdl, { agent, canisterId: II_CANISTER_ID });
  const principal = await ii.get_principal(BigInt(anchor), origin);
  return principal.toText();
}
