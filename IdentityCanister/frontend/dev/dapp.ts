// The opener of the dev walkthrough: @dfinity/auth-client@3.4.3 login (legacy #authorize), or with ?protocol=icrc
// @icp-sdk/auth@7.1.0 signIn (ICRC-29/34 on /authorize), against the dev II; then a call to the whoami canister with the
// delegation (proves the IC accepts it).
import { Actor, HttpAgent } from '@dfinity/agent';
import { AuthClient } from '@dfinity/auth-client';
import { AuthClient as IcrcAuthClient } from '@icp-sdk/auth/client';

const params = new URLSearchParams(location.search);
const idp = document.getElementById('idp') as HTMLInputElement;
idp.value = params.get('idp') ?? 'http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:5173/';
(document.getElementById('derivation') as HTMLInputElement).value = params.get('derivationOrigin') ?? '';
(document.getElementById('ttl') as HTMLInputElement).value = params.get('ttl') ?? '';
const out = (id: string, v: string) => { (document.getElementById(id) as HTMLOutputElement).textContent = v; };

async function showIdentity(identity: import('@dfinity/agent').Identity): Promise<void> {
  out('principal', identity.getPrincipal().toText());
  const chain = (identity as unknown as { getDelegation(): { delegations: Array<{ delegation: { expiration: bigint } }> } }).getDelegation();
  out('expiration', chain.delegations[0]!.delegation.expiration.toString());
  const agent = await HttpAgent.create({ host: new URL(idp.value).origin, identity, shouldFetchRootKey: true });
  const whoami = Actor.createActor(({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], ['query']) }),
    { agent, canisterId: params.get('whoami') ?? 'rwlgt-iiaaa-aaaaa-aaaaa-cai' });
  try {
    const p = await (whoami.whoami as () => Promise<{ toText(): string }>)();
    out('whoami', p.toText());
  } catch (e) {
    out('whoami', `error: ${String(e)}`);
  }
}

const legacy = await AuthClient.create();
document.getElementById('login')!.addEventListener('click', () => {
  const derivationOrigin = (document.getElementById('derivation') as HTMLInputElement).value || undefined;
  const ttl = (document.getElementById('ttl') as HTMLInputElement).value;
  if (params.get('protocol') === 'icrc') {
    const client = new IcrcAuthClient({ identityProvider: idp.value, derivationOrigin });
    client.signIn({ maxTimeToLive: ttl ? BigInt(ttl) : undefined }).then(
      identity => showIdentity(identity as unknown as import('@dfinity/agent').Identity),
      e => out('error', String(e)));
    return;
  }
  // Keys left out when empty: auth-client 3.4.3 lets an explicit `undefined` override its 8 h default.
  void legacy.login({
    identityProvider: idp.value,
    ...(derivationOrigin ? { derivationOrigin } : {}),
    ...(ttl ? { maxTimeToLive: BigInt(ttl) } : {}),
    onSuccess: () => void showIdentity(legacy.getIdentity()),
    onError: e => out('error', String(e)),
  });
});
