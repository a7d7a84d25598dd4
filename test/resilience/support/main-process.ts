/**
 * The real entry point (src/main.ts through the tsx loader) as a child process with PORT=0, its
 * URL read from the startup banner. It runs in an empty directory so no developer `.env` applies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withTimeout } from '../../helpers/wait.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/main.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BANNER = /pusher-auth-server on (http:\/\/\S+)/;

export interface MainProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited, with when (performance.now()). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Kills it if still running and removes its directory. */
  dispose(): Promise<void>;
}

export async function startMain(env: Record<string, string>, startTimeoutMs = 20_000): Promise<MainProcess> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'resilience-main-'));
  const child = spawn(process.execPath, ['--conditions=@pusher-auth-server/source', '--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  let output = '';
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = BANNER.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(({ code }) => reject(new Error(`main exited (${code}) before its banner:\n${output}`)));
  });
  const dispose = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    return { url: await withTimeout(banner, startTimeoutMs, 'the startup banner'), child, exited, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
