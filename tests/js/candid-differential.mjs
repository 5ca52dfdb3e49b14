// Differential test cases for the C# Candid codec against @dfinity/candid.
//   node candid-differential.mjs encode          -> {"case": "hex of IDL.encode(types, values)", ...}
//   node candid-differential.mjs decode < cases  -> {"case": "ok" | "mismatch: ...", ...}
// stdin for decode: {"case": "hex", ...} made by the C# encoder; each is decoded with IDL.decode at the
// case's types and compared with the case's values. The same cases are written in C# in
// tests/Protocol.Tests/Candid/CandidDifferentialTests.cs.
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { readFileSync } from 'node:fs';
import { iiTypes } from './ii-candid.mjs';

const bytes = (...xs) => Uint8Array.from(xs);
const range = (n, f) => Uint8Array.from({ length: n }, (_, i) => f(i));
const principal = (...xs) => Principal.fromUint8Array(bytes(...xs));

const { DeviceData, GetDelegationResponse } = iiTypes(IDL);

const RegisterResponse = IDL.Variant({
  registered: IDL.Record({ user_number: IDL.Nat64 }),
  canister_full: IDL.Null,
  bad_challenge: IDL.Null,
});

const List = IDL.Rec();
List.fill(IDL.Opt(IDL.Record({ head: IDL.Int, tail: List })));

const Numbers = IDL.Record({
  n: IDL.Nat, i: IDL.Int, n8: IDL.Nat8, n16: IDL.Nat16, n32: IDL.Nat32, n64: IDL.Nat64,
  i8: IDL.Int8, i16: IDL.Int16, i32: IDL.Int32, i64: IDL.Int64, f32: IDL.Float32, f64: IDL.Float64,
});

const device = {
  pubkey: range(77, (i) => (i * 7) & 0xff),
  alias: 'MacBook Pro ☃',
  credential_id: [range(64, (i) => i)],
  aaguid: [],
  purpose: { authentication: null },
  key_type: { cross_platform: null },
  protection: { unprotected: null },
  origin: ['https://identity.ic0.app'],
  metadata: [[
    ['usage', { string: 'recovery_phrase' }],
    ['nested', { map: [['raw', { bytes: bytes(1, 2, 3) }]] }],
  ]],
};

const cases = {
  device_data: [[DeviceData], [device]],
  device_data_minimal: [[DeviceData], [{
    pubkey: bytes(1, 2, 3), alias: '', credential_id: [], aaguid: [], purpose: { recovery: null },
    key_type: { seed_phrase: null }, protection: { protected: null }, origin: [], metadata: [],
  }]],
  register_registered: [[RegisterResponse], [{ registered: { user_number: 10000n } }]],
  register_canister_full: [[RegisterResponse], [{ canister_full: null }]],
  vec_blob: [[IDL.Vec(IDL.Vec(IDL.Nat8))], [[bytes(), bytes(0), range(300, (i) => i & 0xff)]]],
  principals: [[IDL.Principal, IDL.Principal, IDL.Principal],
    [principal(4), principal(), Principal.fromUint8Array(range(29, (i) => (i === 28 ? 2 : i * 3)))]],
  nested_opt: [[IDL.Opt(IDL.Opt(IDL.Nat)), IDL.Opt(IDL.Opt(IDL.Nat)), IDL.Opt(IDL.Opt(IDL.Nat))], [[[5n]], [[]], []]],
  recursive_list: [[List], [[{ head: 1n, tail: [{ head: -2n, tail: [{ head: 3n, tail: [] }] }] }]]],
  numbers: [[Numbers], [{
    n: 2n ** 100n, i: -(2n ** 70n), n8: 255, n16: 65535, n32: 4294967295, n64: 18446744073709551615n,
    i8: -128, i16: -32768, i32: -2147483648, i64: -9223372036854775808n, f32: 0.5, f64: -1.25e300,
  }]],
  text_unicode: [[IDL.Text], ['☃ snow 🐂 "quoted"\n']],
  tuple: [[IDL.Tuple(IDL.Nat64, IDL.Nat64)], [[10000n, 20000n]]],
  get_delegation_signed: [[GetDelegationResponse], [{ signed_delegation: {
    delegation: { pubkey: range(44, (i) => i), expiration: 1700000000000000000n, targets: [[principal(0xca, 0xff, 0xee)]] },
    signature: range(100, (i) => 255 - i),
  } }]],
  get_delegation_none: [[GetDelegationResponse], [{ no_such_delegation: null }]],
  references: [[IDL.Func([IDL.Text], [IDL.Nat], ['query']), IDL.Service({ get: IDL.Func([], [IDL.Nat], ['query']) })],
    [[principal(0xca, 0xff, 0xee), 'lookup'], principal(0, 0, 0, 0, 0, 0, 0, 7, 1, 1)]],
  prepare_delegation_args: [[IDL.Nat64, IDL.Text, IDL.Vec(IDL.Nat8), IDL.Opt(IDL.Nat64)],
    [10000n, 'https://dapp.example', range(44, (i) => i), [3600000000000n]]],
};

const hex = (u8) => Buffer.from(u8).toString('hex');

function canon(v) {
  if (typeof v === 'bigint') return 'n:' + v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? 'f:-0' : v;
  if (v instanceof Uint8Array) return 'b:' + hex(v);
  if (ArrayBuffer.isView(v)) return Array.from(v).map(canon);
  if (v && typeof v === 'object' && typeof v.toText === 'function' && v._isPrincipal) return 'p:' + v.toText();
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = canon(v[k]);
    return out;
  }
  return v;
}

const mode = process.argv[2];
const out = {};
if (mode === 'encode') {
  for (const [name, [types, values]] of Object.entries(cases)) out[name] = hex(IDL.encode(types, values));
} else if (mode === 'decode') {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  for (const [name, h] of Object.entries(input)) {
    const [types, values] = cases[name];
    try {
      const decoded = IDL.decode(types, Uint8Array.from(Buffer.from(h, 'hex')));
      const a = JSON.stringify(canon(decoded));
      const b = JSON.stringify(canon(values));
      out[name] = a === b ? 'ok' : `mismatch: decoded ${a} expected ${b}`;
    } catch (e) {
      out[name] = 'error: ' + e.message;
    }
  }
} else {
  throw new Error('usage: candid-differential.mjs encode|decode');
}
process.stdout.write(JSON.stringify(out));
