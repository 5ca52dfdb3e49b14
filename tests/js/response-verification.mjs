// Differential test helper: verifies request/response pairs with @dfinity/response-verification (the WASM build of
// ic-response-verification that boundary nodes and service workers use).
// stdin: JSON array of {request: {method, url, headers: [[name, value]], body: hex, certificate_version: number|null},
//   response: {status_code, headers, body: hex}, canister_id: text, now_ns: decimal string, max_offset_ns: decimal
//   string, root_key: hex (DER), min_version: number};
// stdout: JSON array of {ok, version, status_code, headers, body: hex, certified} on success or {ok: false, code, message}.
import { verifyRequestResponsePair, ResponseVerificationErrorCode } from '@dfinity/response-verification';
import { Principal } from '@dfinity/principal';

const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b) => Buffer.from(b).toString('hex');
const input = JSON.parse(await new Promise((resolve) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => resolve(s)); }));

const results = input.map((c) => {
  const request = {
    method: c.request.method,
    url: c.request.url,
    headers: c.request.headers,
    body: fromHex(c.request.body),
    certificate_version: c.request.certificate_version === null ? [] : [c.request.certificate_version],
  };
  const response = { status_code: c.response.status_code, headers: c.response.headers, body: fromHex(c.response.body) };
  try {
    const info = verifyRequestResponsePair(
      request,
      response,
      Principal.fromText(c.canister_id).toUint8Array(),
      BigInt(c.now_ns),
      BigInt(c.max_offset_ns),
      fromHex(c.root_key),
      c.min_version,
    );
    return {
      ok: true,
      version: info.verificationVersion,
      certified: info.response !== undefined,
      status_code: info.response?.statusCode ?? null,
      headers: info.response?.headers ?? [],
      body: info.response ? hex(info.response.body) : '',
    };
  } catch (e) {
    const code = typeof e?.code === 'number' ? ResponseVerificationErrorCode[e.code] : 'Exception';
    return { ok: false, code, message: String(e?.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
