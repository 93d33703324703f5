// The query part of the IO-Module benchmark on one loaded store: the bare baseline, then the full
// server (mutual TLS, JWS both ways, rights, trail), each in a server process of its own, each
// asked by a separate client process for single subjects and then batches of 100.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serveChild = fileURLToPath(new URL('./serve-child.mjs', import.meta.url));
const clientChild = fileURLToPath(new URL('./query-client.mjs', import.meta.url));

/** The client modes: one subject per request, and batches of 100. */
export const MODES = [
  { name: 'single', batch: 1, inFlight: 32 },
  { name: 'batch100', batch: 100, inFlight: 16 },
];

function startServer(target, storeUrl, dir, profileDir) {
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(serveChild, [target, storeUrl, dir], { execArgv, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${target} server exited with ${code}`)));
    child.once('message', (m) => resolve({ child, url: m.url }));
  });
}

function stopServer({ child }) {
  return new Promise((resolve, reject) => {
    child.removeAllListeners('exit');
    child.on('message', (m) => {
      if (m.stopped) child.once('exit', () => resolve(m));
    });
    child.once('error', reject);
    child.send('stop');
  });
}

function runClient(options) {
  const out = execFileSync(process.execPath, [clientChild, JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/**
 * Measures both servers on `storeUrl` (loaded with `loaded` subjects). Returns, per target
 * ('baseline', 'io') and mode, the client's figures; for 'io' also the trail records written.
 */
export async function measureQueries({ storeUrl, loaded, warmupS, durationS, profileDir }) {
  const dir = mkdtempSync(join(tmpdir(), 'io-bench-q-'));
  const measured = {};
  try {
    for (const target of ['baseline', 'io']) {
      const server = await startServer(target, storeUrl, dir, target === 'io' && profileDir);
      const byMode = {};
      let seed = 1;
      for (const mode of MODES) {
        byMode[mode.name] = runClient({
          target,
          url: server.url,
          dir,
          loaded,
          seed: seed++,
          batch: mode.batch,
          inFlight: mode.inFlight,
          warmupS,
          durationS,
          verifyEvery: 100,
        });
      }
      const stopped = await stopServer(server);
      measured[target] = { ...byMode, trailed: stopped.trailed };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return measured;
}
