// Server process of the query benchmark: `node serve-child.mjs <io|baseline> <store-url> <dir>`
// serves the loaded copy, sends { url } to the parent over IPC, and on 'stop' closes and sends
// what it counted (for the full server, the trail records written while serving).
import { openStore } from '../../packages/core/dist/index.js';
import { startBaseline } from './baseline-server.mjs';
import { startIoServer } from './io-server.mjs';

const [target, url, dir] = process.argv.slice(2);
const store = await openStore(url);
const server = target === 'io' ? await startIoServer(store, dir) : await startBaseline(store);
process.send({ url: server.url });

process.on('message', async (message) => {
  if (message !== 'stop') return;
  const counted = await server.close();
  await store.close();
  process.send({ stopped: true, ...counted }, () => process.exit(0));
});
