/**
 * `npm start` as an operator runs it, signalled as a process manager does: only npm's own pid is
 * signalled. npm forwards SIGTERM and SIGINT to its script's shell; the start script `exec`s node
 * so the shell (dash here) does not stand between them and the signal reaches the server: the port
 * stops answering and npm exits. The build is done once; `--ignore-scripts` skips `prestart`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../helpers/wait.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BANNER = /pusher-auth-server on (http:\/\/\S+)/;
const started: ChildProcess[] = [];
let home: string;

beforeAll(async () => {
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 });
  home = mkdtempSync(path.join(os.tmpdir(), 'npm-start-home-'));
  return () => rmSync(home, { recursive: true, force: true });
}, 130_000);

afterEach(() => {
  // npm leads its own process group (detached): a server a failed test left behind goes with it.
  for (const child of started.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // the whole group is gone already
    }
  }
});

async function npmStart(): Promise<{ npm: ChildProcess; url: string; exited: Promise<number | null> }> {
  const npm = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: home, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(npm);
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    npm.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = BANNER.exec(output)?.[1];
      if (found) resolve(found);
    });
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before the banner:\n${output}`)));
  });
  return { npm, url: await withTimeout(url, 30_000, 'the startup banner'), exited };
}

const answers = (url: string) =>
  fetch(`${url}/healthz`).then(
    (res) => res.status,
    () => 'refused' as const,
  );

describe('npm start, signalled through npm alone', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops the server and npm exits', async (signal) => {
    const { npm, url, exited } = await npmStart();
    expect(await answers(url)).toBe(200);
    process.kill(npm.pid as number, signal);
    expect(await withTimeout(exited, 15_000, `npm to exit after ${signal}`)).toBe(0);
    expect(await answers(url)).toBe('refused');
  }, 60_000);
});
