// Reads the JSON lines of one side-by-side run and prints our time as a ratio of each peer's.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const t = (impl, op) => rows.find((r) => r.impl === impl && r.op === op)?.us_per_op;
const pairs = [
  ['verify', 'blst', 'verify_min_pk'],
  ['sign', 'blst', 'sign_min_pk'],
  ['verify', 'noble', 'verify_min_sig'],
  ['sign', 'noble', 'sign_min_sig'],
  ['hash_to_g1', 'noble', 'hash_to_g1'],
  ['pairing', 'noble', 'pairing'],
];
console.log('| ours | µs | peer | µs | ours / peer |');
console.log('| --- | ---: | --- | ---: | ---: |');
for (const [op, impl, peerOp] of pairs) {
  const a = t('iinet', op), b = t(impl, peerOp);
  if (a && b) console.log(`| ${op} | ${a.toFixed(0)} | ${impl} ${peerOp} | ${b.toFixed(0)} | ${(a / b).toFixed(2)}x |`);
}
