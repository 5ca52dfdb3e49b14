// Differential test helper: signed envelopes made by @dfinity/agent + @dfinity/identity, for the C# verifier.
// Prints one JSON array: [{name, request_type, request_id, envelope}] (hex). Deterministic except ECDSA (WebCrypto keys).
import { Cbor, requestIdOf } from '@dfinity/agent';
import { Ed25519KeyIdentity, ECDSAKeyIdentity, DelegationChain, DelegationIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';

const hex = (b) => Buffer.from(b).toString('hex');
const canister = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');
const ingressExpiry = 1_700_000_000_000_000_000n;
const delegationExpiry = new Date(1_800_000_000_000); // 2027, in ns: 1.8e18

const ed = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(7));
const ecdsa = await ECDSAKeyIdentity.generate();
const session = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(9));
const third = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(11));
const chain1 = await DelegationChain.create(ed, session.getPublicKey(), delegationExpiry, { targets: [canister] });
const chain2 = await DelegationChain.create(session, third.getPublicKey(), delegationExpiry, { previous: chain1 });
const ecdsaChain = await DelegationChain.create(ecdsa, session.getPublicKey(), delegationExpiry);

const identities = {
  ed25519: ed,
  ecdsa_p256: ecdsa,
  delegated_ed25519_targets: DelegationIdentity.fromDelegation(session, chain1),
  delegated_two_levels: DelegationIdentity.fromDelegation(third, chain2),
  delegated_from_ecdsa: DelegationIdentity.fromDelegation(session, ecdsaChain),
};

function contents(sender) {
  const common = { sender, ingress_expiry: ingressExpiry };
  return {
    call: { request_type: 'call', canister_id: canister, method_name: 'lookup', arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 1, 0x78, 1, 0, 0, 0, 0, 0, 0, 0]), nonce: new Uint8Array(16).fill(3), ...common },
    query: { request_type: 'query', canister_id: canister, method_name: 'stats', arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]), ...common },
    read_state: { request_type: 'read_state', paths: [[new TextEncoder().encode('request_status'), new Uint8Array(32).fill(1)], [new TextEncoder().encode('time')]], ...common },
  };
}

const out = [];
for (const [name, identity] of Object.entries(identities)) {
  for (const [type, content] of Object.entries(contents(identity.getPrincipal()))) {
    const request = await identity.transformRequest({ request: {}, endpoint: type === 'read_state' ? 'read_state' : type, body: content });
    out.push({ name, request_type: type, sender: identity.getPrincipal().toText(), request_id: hex(requestIdOf(content)), envelope: hex(Cbor.encode(request.body)) });
  }
}
process.stdout.write(JSON.stringify(out));
