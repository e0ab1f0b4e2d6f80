// The kiosk's config file (JSON in Electron's user-data folder): read, validated and written
// here, with no Electron import, so it is tested as plain code.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { KioskConfig, KioskConfigState, SaveConfigResult } from '../shared/kioskShell';

export const CONFIG_FILE = 'kiosk-config.json';
export const DEFAULT_PORT = 8080;

const KioskConfigSchema = z.discriminatedUnion('mode', [
  z
    .strictObject({
      mode: z.literal('remote'),
      serverUrl: z
        .url({ protocol: /^https?$/, error: 'the server address must start with http:// or https://' })
        .transform((u) => u.replace(/\/+$/, '')),
      caFingerprint: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'the CA fingerprint is 32 pairs of hex digits (AA:BB:…), as the staff page shows it')
        .optional(),
    })
    .refine((c) => !c.caFingerprint || c.serverUrl.startsWith('https:'), {
      path: ['caFingerprint'],
      error: 'a CA fingerprint goes with an https:// server address',
    }),
  z.strictObject({
    mode: z.literal('host'),
    port: z.number().int().min(1).max(65535),
    dataDir: z.string().trim().min(1),
  }),
]);

/** First start: this laptop hosts the sampling point, its data next to the config. */
export function defaultConfig(userDataDir: string): Extract<KioskConfig, { mode: 'host' }> {
  return { mode: 'host', port: DEFAULT_PORT, dataDir: path.join(userDataDir, 'data') };
}

/** Where the kiosk's pages come from: the configured server, or the one the shell hosts on this laptop. */
export function serverBaseUrl(config: KioskConfig): string {
  return config.mode === 'remote' ? config.serverUrl : `http://127.0.0.1:${config.port}`;
}

export function parseConfig(value: unknown): { ok: true; config: KioskConfig } | { ok: false; error: string } {
  const parsed = KioskConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ') };
}

/** The saved config, or the defaults with the reason when the file is missing or broken (a broken file is left as is). */
export function loadKioskConfig(userDataDir: string): KioskConfigState {
  const file = path.join(userDataDir, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(userDataDir), problem: null };
    return { config: defaultConfig(userDataDir), problem: `${file} could not be read: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { config: defaultConfig(userDataDir), problem: `${file} is not valid JSON` };
  }
  const parsed = parseConfig(json);
  return parsed.ok ? { config: parsed.config, problem: null } : { config: defaultConfig(userDataDir), problem: `${file}: ${parsed.error}` };
}

/** Validates and writes the config atomically (a crash mid-write leaves the old file whole). */
export function saveKioskConfig(userDataDir: string, value: unknown): SaveConfigResult {
  const parsed = parseConfig(value);
  if (!parsed.ok) return parsed;
  const file = path.join(userDataDir, CONFIG_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(userDataDir, { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeFileSync(fd, `${JSON.stringify(parsed.config, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    return { ok: true };
  } catch (err) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing was written there.
    }
    return { ok: false, error: `the config could not be saved: ${(err as Error).message}` };
  }
}
