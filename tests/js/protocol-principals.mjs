// Differential test helper: @dfinity/principal on principals chosen by the C# test.
// stdin: JSON {bytes: [hex], texts: [text], ders: [hex]}; stdout: JSON {to_text: [text], from_text: [hex|null], self_auth: [text]}.
import { Principal } from '@dfinity/principal';

const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const input = JSON.parse(await new Promise((resolve) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => resolve(s)); }));
const parse = (t) => { try { return Principal.fromText(t).toHex().toLowerCase(); } catch { return null; } };
process.stdout.write(JSON.stringify({
  to_text: input.bytes.map((h) => Principal.fromUint8Array(fromHex(h)).toText()),
  from_text: input.texts.map(parse),
  self_auth: input.ders.map((h) => Principal.selfAuthenticating(fromHex(h)).toText()),
}));
