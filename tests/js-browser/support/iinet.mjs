// Runs `iinet up` as a child process for a suite: free ports, a fresh data directory, bounded waits, Ctrl-C to stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const II_CANISTER_ID = 'rdmx6-jaaaa-aaaaa-aaadq-cai';
export const WHOAMI_CANISTER_ID = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';
export const SAMPLE_DIST = join(REPO_ROOT, 'samples', 'dapp-login', 'dist');

/** How to run iinet: IINET_DLL, else the Release build of Cli in this repository, else `iinet` on PATH. */
function iinetCommand() {
  const dll = process.env.IINET_DLL ?? join(REPO_ROOT, 'Cli', 'bin', 'Release', 'net10.0', 'iinet.dll');
  return existsSync(dll) ? ['dotnet', [dll]] : ['iinet', []];
}

function portFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** The first of `count` consecutive free loopback ports, below Linux's ephemeral range. */
export async function freePorts(count) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const start = 20000 + Math.floor(Math.random() * (12000 - count));
    let free = true;
    for (let p = start; p < start + count && free; p++) {
      free = await portFree(p);
    }
    if (free) {
      return start;
    }
  }
  throw new Error(`no ${count} consecutive free loopback ports after 200 attempts`);
}

/**
 * Starts `iinet up --port P --replicas 1 --data-dir D ...extraArgs` and waits for its ready line. Resolves to
 * { url, port, rootKey, assetsUrl, iiUrl, transcript(), stop() }.
 */
export async function startIinet(extraArgs = [], { replicas = 1, readyTimeoutMs = 180_000 } = {}) {
  const port = await freePorts(2 * replicas);
  const dataDir = await mkdtemp(join(tmpdir(), 'iinet-js-browser-'));
  const [command, prefix] = iinetCommand();
  const args = [...prefix, 'up', '--port', String(port), '--replicas', String(replicas), '--data-dir', dataDir, ...extraArgs];
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const fields = {};
  let onLine = () => {};
  for (const [stream, name] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(`${name}: ${line}`);
        const m = /^(url|root_key|assets|ii|whoami)\s+(\S+)/.exec(line);
        if (m) {
          fields[m[1]] = m[2];
        }
        onLine(line);
      }
    });
  }
  const transcript = () => `$ ${command} ${args.join(' ')}\n${lines.join('\n')}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`iinet up printed no ready line within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
      onLine = (line) => {
        if (/^ready\b/.test(line)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.once('error', (e) => { clearTimeout(timer); fail(e); });
      child.once('exit', (code, signal) => { clearTimeout(timer); fail(new Error(`iinet up exited (${code ?? signal}) before it was ready`)); });
    });
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${transcript()}`);
  }

  return {
    port,
    url: fields.url ?? `http://127.0.0.1:${port}`,
    rootKey: fields.root_key,
    // `iinet up --assets DIR` prints `assets  http://<canister-id>.localhost:<port>/`.
    assetsUrl: fields.assets,
    iiUrl: `http://${II_CANISTER_ID}.localhost:${port}`,
    transcript,
    stop,
  };
}
