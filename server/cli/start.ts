// `npm start` (and `npm run demo`): build the pages if needed, start one server, print where to go.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../app';
import { loadConfig } from '../config';
import { seedDemo } from '../demo/seedDemo';
import { writePinFile } from '../security/pins';
import { buildIfNeeded } from './buildIfNeeded';
import { tuneHeap } from './heapTuning';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = process.argv.includes('--demo');

// The demo keeps its made-up community apart from real data, with PINs anyone may know.
const DEMO_PINS = { KIOSK_PIN: '1111', VOLUNTEER_PIN: '2222', STAFF_PIN: '3333' };
const env = demo ? { DATA_DIR: path.join(root, 'demo-data'), ...DEMO_PINS, ...process.env } : process.env;

async function main() {
  tuneHeap();
  buildIfNeeded(root);
  const config = loadConfig(env);
  const server = await startServer(config);
  if (demo) await seedDemo(server);

  const pages = ['kiosk', 'display', 'volunteer', 'staff'].map((p) => `  ${p.padEnd(10)} ${server.url}/${p}`);
  console.log(`\nnat-queue is running (${server.store.dialect}, data in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}).\n${pages.join('\n')}`);
  if (demo) {
    console.log(`\nDemo PINs: kiosk ${env.KIOSK_PIN}, volunteer ${env.VOLUNTEER_PIN}, staff ${env.STAFF_PIN}`);
  } else if (Object.keys(server.createdPins).length) {
    console.log(`\nFirst start: access PINs were written to ${writePinFile(config.dataDir, server.createdPins)}`);
  }

  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`nat-queue could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
