// Development server for the II frontend (node http only, 127.0.0.1 only):
//  - serves dist/ with the canister's <body> fixup (data-canister-id, data-canister-config = Candid InternetIdentityInit
//    with fetch_root_key = true, and dummy_auth with --dummy-auth), everything but the assets falls back to index.html;
//  - proxies /api/* to a running network (`iinet up`);
//  - optionally serves a tiny dapp (dev/dapp.html + dev/dapp.ts bundled on the fly) on a second port = another origin.
// Open http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:<port>/ (passkeys need a *.localhost host, not 127.0.0.1).
//
// node dev-server.mjs --network http://127.0.0.1:4943 [--port 5173] [--dapp-port 5174] [--dummy-auth] [--prompt-for-index]
//                     [--no-fixup] [--canister-id rdmx6-jaaaa-aaaaa-aaadq-cai] [--alternative-origins <id>=<origin>,<origin>]
import { IDL } from '@dfinity/candid';
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    network: { type: 'string', default: 'http://127.0.0.1:4943' },
    port: { type: 'string', default: '5173' },
    'dapp-port': { type: 'string' },
    'dummy-auth': { type: 'boolean', default: false },
    'prompt-for-index': { type: 'boolean', default: false },
    'no-fixup': { type: 'boolean', default: false },
    'canister-id': { type: 'string', default: 'rdmx6-jaaaa-aaaaa-aaadq-cai' },
    'alternative-origins': { type: 'string', multiple: true, default: [] },
  },
});

// The same record type II@HEAD encodes (the fields the frontend reads).
const CaptchaConfig = IDL.Record({
  max_unsolved_captchas: IDL.Nat64,
  captcha_trigger: IDL.Variant({
    Dynamic: IDL.Record({ threshold_pct: IDL.Nat16, current_rate_sampling_interval_s: IDL.Nat64, reference_rate_sampling_interval_s: IDL.Nat64 }),
    Static: IDL.Variant({ CaptchaEnabled: IDL.Null, CaptchaDisabled: IDL.Null }),
  }),
});
const Init = IDL.Record({
  captcha_config: IDL.Opt(CaptchaConfig),
  related_origins: IDL.Opt(IDL.Vec(IDL.Text)),
  fetch_root_key: IDL.Opt(IDL.Bool),
  dummy_auth: IDL.Opt(IDL.Opt(IDL.Record({ prompt_for_index: IDL.Bool }))),
});
const config = Buffer.from(IDL.encode([Init], [{
  captcha_config: [],
  related_origins: [],
  fetch_root_key: [true],
  dummy_auth: args['dummy-auth'] ? [[{ prompt_for_index: args['prompt-for-index'] }]] : [],
}])).toString('base64');

const alternativeOrigins = new Map(args['alternative-origins'].map(spec => {
  const [id, list] = spec.split('=');
  return [id, JSON.stringify({ alternativeOrigins: list.split(',') })];
}));

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.ico': 'image/x-icon', '.json': 'application/json' };
const dist = join(here, 'dist');

function proxy(req, res) {
  const target = new URL(req.url, args.network);
  const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, up => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', e => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end(`network unreachable: ${e.message}`); });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    proxy(req, res);
    return;
  }
  if (url.pathname === '/.well-known/ii-alternative-origins') {
    const body = alternativeOrigins.get(url.searchParams.get('canisterId') ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(body ?? '{}');
    return;
  }
  const file = normalize(join(dist, url.pathname));
  if (file.startsWith(dist) && extname(file) !== '' && existsSync(file)) {
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
    return;
  }
  let html = readFileSync(join(dist, 'index.html'), 'utf8');
  if (!args['no-fixup']) {
    html = html.replace('<body ', `<body data-canister-id="${args['canister-id']}" data-canister-config="${config}" `);
  }
  res.writeHead(200, { 'content-type': types['.html'], 'cache-control': 'no-store', 'x-ic-canister-id': args['canister-id'] });
  res.end(html);
});
server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`ii       http://${args['canister-id']}.localhost:${server.address().port}/  (network ${args.network})`);
});

if (args['dapp-port']) {
  const dapp = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/dapp.js') {
      const out = await esbuild.build({ entryPoints: [join(here, 'dev', 'dapp.ts')], bundle: true, format: 'esm', write: false, target: 'es2022' });
      res.writeHead(200, { 'content-type': types['.js'] });
      res.end(out.outputFiles[0].text);
      return;
    }
    res.writeHead(200, { 'content-type': types['.html'], 'x-ic-canister-id': 'rwlgt-iiaaa-aaaaa-aaaaa-cai' });
    res.end(readFileSync(join(here, 'dev', 'dapp.html')));
  });
  dapp.listen(Number(args['dapp-port']), '127.0.0.1', () => console.log(`dapp     http://localhost:${dapp.address().port}/`));
}
