// Vectors for the C# Agent's identities (tests/Agent.Tests): @dfinity/identity 3.4.3 JSON forms, principals, and a
// deterministic call and read_state signed by @dfinity/agent through a delegation identity (Ed25519 is deterministic).
// Also PEM keys written by Node's crypto (PKCS#8 Ed25519, SEC1 secp256k1 and P-256) with their DER public keys.
// Prints one JSON object.
import crypto from 'node:crypto';
import { Cbor, requestIdOf } from '@dfinity/agent';
import { Ed25519KeyIdentity, DelegationChain, DelegationIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';

const hex = (b) => Buffer.from(b).toString('hex');
const canister = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');
const root = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(21));
const session = Ed25519KeyIdentity.generate(new Uint8Array(32).fill(22));
const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(1_800_000_000_000), { targets: [canister] });
const delegated = DelegationIdentity.fromDelegation(session, chain);

const content = {
  request_type: 'call', canister_id: canister, method_name: 'whoami', arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]),
  nonce: new Uint8Array(16).fill(5), sender: delegated.getPrincipal(), ingress_expiry: 1_700_000_000_000_000_000n,
};
const call = await delegated.transformRequest({ request: {}, endpoint: 'call', body: content });

function pem(type, options) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync(type, options);
  const encoding = type === 'ed25519' ? { type: 'pkcs8', format: 'pem' } : { type: 'sec1', format: 'pem' };
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { pem: privateKey.export(encoding), der: hex(der), principal: Principal.selfAuthenticating(new Uint8Array(der)).toText() };
}

process.stdout.write(JSON.stringify({
  ed25519_json: JSON.stringify(root.toJSON()),
  ed25519_principal: root.getPrincipal().toText(),
  session_json: JSON.stringify(session.toJSON()),
  chain_json: JSON.stringify(chain.toJSON()),
  delegated_principal: delegated.getPrincipal().toText(),
  call_request_id: hex(requestIdOf(content)),
  call_envelope: hex(Cbor.encode(call.body)),
  pem_ed25519: pem('ed25519'),
  pem_secp256k1: pem('ec', { namedCurve: 'secp256k1' }),
  pem_p256: pem('ec', { namedCurve: 'prime256v1' }),
}));
