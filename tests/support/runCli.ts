import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Longer than a refused start takes on a loaded machine (~3 s), shorter than a test's 30 s timeout. */
const EXIT_DEADLINE_MS = 25_000;

/** Runs `npm start`'s script (server/cli/start.ts) until it exits: for starts that must be refused. */
export async function runCliUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // A start that should have been refused and runs instead is killed and said so, with what it printed.
  const deadline = setTimeout(() => child.kill('SIGKILL'), EXIT_DEADLINE_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(deadline);
  if (signal === 'SIGKILL') throw new Error(`npm start kept running for ${EXIT_DEADLINE_MS / 1000} s:\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}
