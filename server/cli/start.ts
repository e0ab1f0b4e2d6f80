// `npm start` (and `npm run demo`): build the pages if needed, start one server, print where to go.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../app';
import { loadConfig } from '../config';
import { seedDemo } from '../demo/seedDemo';
import { writePinFile } from '../security/pins';
import type { HttpsListener } from '../tls/httpsListener';
import { CA_CERT_PATH } from '../../shared/lanAccess';
import { buildIfNeeded } from './buildIfNeeded';
import { tuneHeap } from './heapTuning';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = process.argv.includes('--demo');

// The demo keeps its made-up community apart from real data, with PINs anyone may know.
const DEMO_PINS = { KIOSK_PIN: '1111', VOLUNTEER_PIN: '2222', STAFF_PIN: '3333' };
const env = demo ? { DATA_DIR: path.join(root, 'demo-data'), ...DEMO_PINS, ...process.env, NATQ_DEMO: '1' } : process.env;

async function main() {
  tuneHeap();
  buildIfNeeded(root);
  const config = loadConfig(env);
  const server = await startServer(config);
  if (demo) await seedDemo(server);

  const pages = ['kiosk', 'display', 'volunteer', 'staff'].map((p) => `  ${p.padEnd(10)} ${server.url}/${p}`);
  console.log(
    `\nnat-queue is running (${server.store.dialect}, data in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}).\n${pages.join('\n')}`,
  );
  if (server.https) console.log(lanAddresses(server.https));
  if (demo) {
    console.log(`\nDemo PINs: kiosk ${env.KIOSK_PIN}, volunteer ${env.VOLUNTEER_PIN}, staff ${env.STAFF_PIN}`);
  } else if (Object.keys(server.createdPins).length) {
    console.log(`\nFirst start: access PINs were written to ${await writePinFileOrStop(server, config.dataDir)}`);
  }

  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** What the other devices on the site's Wi-Fi open, and the CA they must trust first. */
function lanAddresses(https: HttpsListener): string {
  const origins = https.origins();
  if (!origins.length) return `\nHTTPS on port ${https.port}; this machine has no LAN address yet (join the site's Wi-Fi).`;
  const pages = ['display', 'volunteer', 'kiosk', 'staff', 'coverage'].map(
    (p) => `  ${p.padEnd(10)} ${origins.map((o) => `${o}/${p}`).join('  ')}`,
  );
  const ca = https.tls.ca
    ? `Devices trust the local CA first: ${https.tls.ca.file} (also at ${origins[0]}${CA_CERT_PATH}),\nSHA-256 ${https.tls.ca.fingerprint}`
    : 'The certificate comes from TLS_CERT/TLS_KEY.';
  return `\nOn the site's Wi-Fi (tablets, TV, phones):\n${pages.join('\n')}\n  home-visits: each team's link from the coverage page\n${ca}`;
}

/**
 * The new PINs are stored only as hashes: if their file cannot be written, nobody could ever log in,
 * so the server stops and says how to set PINs of one's own (given PINs replace the stored ones).
 */
async function writePinFileOrStop(server: RunningServer, dataDir: string): Promise<string> {
  try {
    return writePinFile(dataDir, server.createdPins);
  } catch (err) {
    await server.close();
    const envNames = Object.keys(server.createdPins)
      .map((role) => `${role.toUpperCase()}_PIN`)
      .join(', ');
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}, with ${envNames} set to PINs of your choice (4–8 digits): the PINs made now are lost`,
    );
  }
}

main().catch((err) => {
  console.error(`nat-queue could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
