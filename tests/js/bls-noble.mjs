// Differential test oracle for our BLS12-381 (min-sig, as the IC uses it) against @noble/curves.
//   node bls-noble.mjs generate N   -> JSON array of N fresh random cases computed by noble:
//                                      {sk, msg, pk, sig, h2c, tampered_sig, tampered_valid}
//   node bls-noble.mjs verify       -> reads [{pk, msg, sig}] on stdin, prints [true|false, ...] from noble
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { randomBytes } from 'node:crypto';

const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));

function verify(pk, msg, sig) {
  try {
    return bls.verifyShortSignature(sig, msg, pk);
  } catch {
    return false;
  }
}

const mode = process.argv[2];
if (mode === 'generate') {
  const n = Number(process.argv[3] ?? '16');
  const cases = [];
  for (let i = 0; i < n; i++) {
    const sk = bls.utils.randomPrivateKey();
    const msg = randomBytes(i % 4 === 0 ? 0 : 1 + (i * 37) % 200);
    const pk = bls.getPublicKeyForShortSignatures(sk);
    const sig = bls.signShortSignature(msg, sk);
    const h2c = bls.G1.hashToCurve(msg, { DST }).toRawBytes(true);
    // A different valid-looking signature: the signature of another message under the same key.
    const other = bls.signShortSignature(Uint8Array.from([...msg, 1]), sk);
    cases.push({
      sk: hex(sk), msg: hex(msg), pk: hex(pk), sig: hex(sig), h2c: hex(h2c),
      tampered_sig: hex(other), tampered_valid: verify(pk, msg, other),
    });
  }
  process.stdout.write(JSON.stringify(cases));
} else if (mode === 'verify') {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const items = JSON.parse(input);
  process.stdout.write(JSON.stringify(items.map((c) => verify(unhex(c.pk), unhex(c.msg), unhex(c.sig)))));
} else {
  console.error('usage: node bls-noble.mjs generate N | verify');
  process.exit(2);
}
