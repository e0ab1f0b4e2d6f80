// One server node in a process of its own (configured by the environment, as in production), so a
// test can kill -9 it and a benchmark can read its own memory. Prints "listening <url>" when ready.
import { startServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { tuneHeap } from '../../server/cli/heapTuning';

tuneHeap();

const server = await startServer(loadConfig(), { staticDir: '/nonexistent' });
console.log(`listening ${server.url}`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
