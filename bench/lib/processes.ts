import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the first successful readiness answer. */
  readyMs: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns `node <args>` with its output in `logFile`, then polls `readyUrl` until it answers 200.
 * Each server is its own process so its memory (VmHWM) is its own.
 */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  readyUrl: string,
  logFile: string,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const out = openSync(logFile, 'a');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', out, out] });
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} before it was ready (see ${logFile})`);
    try {
      const response = await fetch(readyUrl);
      await response.arrayBuffer();
      if (response.status === 200) {
        return { name, child, pid: child.pid!, readyMs: Number(process.hrtime.bigint() - started) / 1e6 };
      }
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within ${timeoutMs} ms (see ${logFile})`);
}

export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Peak resident set size in MB (since start, or since the last resetPeakRss). */
export const peakRssMb = (pid: number) => statusField(pid, 'VmHWM');
export const rssMb = (pid: number) => statusField(pid, 'VmRSS');

/** Resets VmHWM to the current RSS (Linux clear_refs "5"), so each workload gets its own peak. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process has used so far, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at "state"; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
