/** For the packed-package tests: a README's code block, a script run from the fresh app, pusher-js. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PusherModule, { type Options } from 'pusher-js';
import { withTimeout } from './wait.js';

const Pusher = PusherModule as unknown as typeof PusherModule.default;
export type PusherJs = InstanceType<typeof Pusher>;

/** The first fenced code block after the line that contains `marker`. */
export function codeBlockAfter(file: string, marker: string): string {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`${marker} is not in ${file}`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (!block?.[1]) throw new Error(`no code block after ${marker} in ${file}`);
  return `${block[1]}\n`;
}

export interface RunningScript {
  readonly port: number;
  stop(): Promise<void>;
}

/** Writes `source` as `name` in `dir`, runs it with node, and waits for `ready` (its group 1: the port) on stdout. */
export async function startScript(dir: string, name: string, source: string, env: Record<string, string>, ready: RegExp): Promise<RunningScript> {
  writeFileSync(path.join(dir, name), source);
  const child: ChildProcess = spawn(process.execPath, [name], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = ready.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
    }),
    20_000,
    `${name} to listen`,
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A pusher-js client of the embedded server on `wsPort`, connected. */
export async function connectedPusherJs(key: string, wsPort: number, options: Partial<Options>): Promise<PusherJs> {
  const pusher = new Pusher(key, { cluster: 'local', wsHost: '127.0.0.1', wsPort, forceTLS: false, enabledTransports: ['ws'], ...options });
  await withTimeout(new Promise<void>((resolve) => pusher.connection.bind('connected', () => resolve())), 5000, 'pusher-js to connect');
  return pusher;
}

/** What subscribing ends in: the subscription's data, or the error pusher-js reports. */
export function subscription(pusher: PusherJs, name: string): Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }> {
  const channel = pusher.subscribe(name);
  const outcome = new Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>((resolve) => {
    channel.bind('pusher:subscription_succeeded', (data: unknown) => resolve({ ok: true, data }));
    channel.bind('pusher:subscription_error', (error: unknown) => resolve({ ok: false, error }));
  });
  return withTimeout(outcome, 5000, `the subscription to ${name}`);
}
