import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ChildNode {
  child: ChildProcess;
  url: string;
  /** The process's resident memory now, and its peak so far, in MiB (Linux /proc). */
  memory(): { rss: number; peak: number };
  /** CPU time the process has used so far, in seconds (Linux /proc). */
  cpuSeconds(): number;
  /** kill -9: no shutdown, no flush; whatever was not committed is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts a node script (TypeScript, through tsx) and waits for its "listening <url>" line. */
export async function spawnNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ChildNode> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.resolve(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^listening (\S+)\n/m.exec(out); // a whole line of its own, not a log line that says "listening at"
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening: ${out}`)));
  });
  return {
    child,
    url,
    memory() {
      const status = fsRead(`/proc/${child.pid}/status`);
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    },
    cpuSeconds: () => cpuSeconds(child.pid!),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User + system CPU time of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = fsRead(`/proc/${pid}/stat`)
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

function fsRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
