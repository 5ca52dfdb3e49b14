// Randomized differential test of the C# Candid codec against @dfinity/candid.
// stdin: JSON array of { type, value, hex }: `type` and `value` are JavaScript expressions (IDL type and
// value, written by the C# test from its random type and value), `hex` is the C# encoding of that value.
// stdout: JSON array of { decoded: "ok" | "mismatch ..." | "error ...", theirs: hex of IDL.encode([type], [value]) }.
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { readFileSync } from 'node:fs';

const hex = (u8) => Buffer.from(u8).toString('hex');

function canon(v) {
  if (typeof v === 'bigint') return 'n:' + v.toString();
  if (typeof v === 'number') return Number.isNaN(v) ? 'f:NaN' : Object.is(v, -0) ? 0 : v;
  if (v instanceof Uint8Array) return 'b:' + hex(v);
  // vec of fixed-width numbers may decode to a typed array (Int32Array, BigUint64Array, ...).
  if (ArrayBuffer.isView(v)) return Array.from(v).map(canon);
  if (v && typeof v === 'object' && v._isPrincipal) return 'p:' + v.toText();
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = canon(v[k]);
    return out;
  }
  return v;
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const results = cases.map(({ type, value, hex: ours }) => {
  const t = new Function('IDL', 'Principal', 'return ' + type)(IDL, Principal);
  const v = new Function('IDL', 'Principal', 'return ' + value)(IDL, Principal);
  let decoded;
  try {
    const got = IDL.decode([t], Uint8Array.from(Buffer.from(ours, 'hex')))[0];
    const a = JSON.stringify(canon(got));
    const b = JSON.stringify(canon(v));
    decoded = a === b ? 'ok' : `mismatch: decoded ${a} expected ${b}`;
  } catch (e) {
    decoded = 'error: ' + e.message;
  }
  let theirs = '';
  try {
    theirs = hex(IDL.encode([t], [v]));
  } catch (e) {
    theirs = 'error: ' + e.message;
  }
  return { decoded, theirs };
});
process.stdout.write(JSON.stringify(results));
