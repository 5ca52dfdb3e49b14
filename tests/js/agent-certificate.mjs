// Differential test helper: verifies a certificate made by the C# code with @dfinity/agent's Certificate (BLS included)
// and looks paths up. stdin: JSON {certificate: hex, root_key_der: hex, canister: text, paths: [[label hex...]]};
// stdout: JSON {valid, error, lookups: [{status, value}]}.
import { Certificate, lookup_path, LookupPathStatus } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

const hex = (b) => Buffer.from(b).toString('hex');
// agent-js misreads Node Buffer slices: always hand it plain Uint8Arrays.
const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const input = JSON.parse(await new Promise((resolve) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => resolve(s)); }));
let cert;
let error = '';
try {
  cert = await Certificate.create({
    certificate: fromHex(input.certificate),
    rootKey: fromHex(input.root_key_der),
    canisterId: Principal.fromText(input.canister),
    disableTimeVerification: true,
  });
} catch (e) {
  error = String(e.message ?? e);
}
const lookups = cert
  ? input.paths.map((p) => {
      const r = cert.lookup_path(p.map((l) => fromHex(l)));
      return { status: r.status, value: r.value ? hex(r.value) : null };
    })
  : [];
process.stdout.write(JSON.stringify({ valid: !!cert, error, lookups }));
