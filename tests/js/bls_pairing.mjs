// Differential oracle for the pairing: for each stdin line "a b" (hex scalars) prints the affine coordinates of
// [a]G1 and [b]G2 and the 12 F_p12 coefficients of e([a]G1, [b]G2), all as hex, computed by @noble/curves.
import { bls12_381 as bls } from '@noble/curves/bls12-381';

const hex = (x) => x.toString(16).padStart(96, '0');
const input = await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
});
for (const line of input.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)) {
  const [a, b] = line.split(/\s+/).map((s) => BigInt('0x' + s));
  const p = bls.G1.ProjectivePoint.BASE.multiply(a).toAffine();
  const q = bls.G2.ProjectivePoint.BASE.multiply(b).toAffine();
  const e = bls.pairing(bls.G1.ProjectivePoint.BASE.multiply(a), bls.G2.ProjectivePoint.BASE.multiply(b));
  const coefficients = [];
  for (const c6 of [e.c0, e.c1]) for (const c2 of [c6.c0, c6.c1, c6.c2]) coefficients.push(hex(c2.c0), hex(c2.c1));
  console.log([hex(p.x), hex(p.y), hex(q.x.c0), hex(q.x.c1), hex(q.y.c0), hex(q.y.c1), ...coefficients].join(' '));
}
