// Differential test helper: checks envelopes made by the C# code with @dfinity/agent's own hashing and CBOR, and
// @noble/curves signatures. stdin: JSON [{envelope: hex, canister: text}]; stdout: JSON [{request_id, valid, reason}].
import { Cbor, requestIdOf, IC_REQUEST_DOMAIN_SEPARATOR, IC_REQUEST_AUTH_DELEGATION_DOMAIN_SEPARATOR } from '@dfinity/agent';
import { DelegationChain, isDelegationValid } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha2';
import { sha224 } from '@noble/hashes/sha2';

const hex = (b) => Buffer.from(b).toString('hex');
// agent-js misreads Node Buffer slices: always hand it plain Uint8Arrays.
const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const concat = (a, b) => { const r = new Uint8Array(a.length + b.length); r.set(a); r.set(b, a.length); return r; };
const ED_PREFIX = '302a300506032b6570032100';
const P256_PREFIX = '3059301306072a8648ce3d020106082a8648ce3d030107034200';

function verifySig(der, msg, sig) {
  const h = hex(der);
  if (h.startsWith(ED_PREFIX) && der.length === 44) return ed25519.verify(sig, msg, der.slice(12));
  if (h.startsWith(P256_PREFIX) && der.length === 91) return p256.verify(sig, sha256(msg), der.slice(26), { lowS: false });
  throw new Error('unsupported key ' + h.slice(0, 40));
}

const input = JSON.parse(await new Promise((resolve) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => resolve(s)); }));
const out = [];
for (const item of input) {
  const env = Cbor.decode(fromHex(item.envelope));
  const content = env.content;
  const rid = requestIdOf(content);
  let valid = true;
  let reason = '';
  try {
    const selfAuth = concat(sha224(env.sender_pubkey), new Uint8Array([2]));
    if (hex(selfAuth) !== hex(content.sender)) throw new Error('sender is not self-authenticating of sender_pubkey');
    let signer = env.sender_pubkey;
    for (const d of env.sender_delegation ?? []) {
      const msg = concat(IC_REQUEST_AUTH_DELEGATION_DOMAIN_SEPARATOR, requestIdOf(d.delegation));
      if (!verifySig(signer, msg, d.signature)) throw new Error('bad delegation signature');
      signer = d.delegation.pubkey;
    }
    if (env.sender_delegation) {
      const chain = DelegationChain.fromDelegations(env.sender_delegation.map((d) => ({
        delegation: { pubkey: d.delegation.pubkey, expiration: BigInt(d.delegation.expiration), targets: d.delegation.targets?.map((t) => Principal.fromUint8Array(t)) },
        signature: d.signature,
      })), env.sender_pubkey);
      if (!isDelegationValid(chain, { scope: item.canister })) throw new Error('agent-js isDelegationValid says no');
    }
    if (!verifySig(signer, concat(IC_REQUEST_DOMAIN_SEPARATOR, rid), env.sender_sig)) throw new Error('bad sender_sig');
  } catch (e) {
    valid = false;
    reason = String(e.message ?? e);
  }
  out.push({ request_id: hex(rid), valid, reason });
}
process.stdout.write(JSON.stringify(out));
