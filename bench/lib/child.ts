/**
 * Bench processes: each server and each client swarm runs in its own Node process (tsx loader),
 * talking to the orchestrator over IPC, so no two of them share an event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT_DIR = path.dirname(BENCH_DIR);
/** Where a run writes what it generates (RESULTS.md, PROFILE*.md): git ignores `reports/`. */
export const REPORTS_DIR = path.join(ROOT_DIR, 'reports', 'bench');

/** Every IPC message is an object with a `type`. */
export interface Message {
  readonly type: string;
}

export interface BenchChild {
  readonly process: ChildProcess;
  /** Resolves with the next message of this type (rejects on timeout or exit). */
  next<T extends Message>(type: T['type'], timeoutMs: number): Promise<T>;
  send<T extends Message>(message: T): void;
  /** Asks the child to stop, then kills it if it has not exited in time. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof, --expose-gc. */
  readonly nodeArgs?: readonly string[];
  /** Another checkout to run the script from (bench/ab.ts); default this one. */
  readonly root?: string;
  /** Send the child's stdout to /dev/null (a server logging at info, as `npm start` does). */
  readonly discardStdout?: boolean;
}

export function spawnBench(script: string, options: SpawnOptions = {}): BenchChild {
  const root = options.root ?? ROOT_DIR;
  const child = fork(path.join(root, 'bench', script), [], {
    cwd: root,
    execArgv: ['--conditions=@pusher-auth-server/source', '--import', 'tsx', ...(options.nodeArgs ?? [])],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    next<T extends Message>(type: T['type'], timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${script}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (message: Message) => {
          if (message.type === type) finish(undefined, message as T);
        };
        const onExit = (code: number | null) => finish(new Error(`${script} exited (${code}) before sending "${type}"`));
        function finish(err: Error | undefined, message?: T): void {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(message as T);
        }
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
    },
    send(message) {
      if (child.connected) child.send(message);
    },
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: send a message to the orchestrator. */
export function report<T extends Message>(message: T): void {
  process.send?.(message);
}

/** In a child: call `handler` for each message from the orchestrator; exit if the orchestrator goes away. */
export function onMessage(handler: (message: Message) => void): void {
  process.on('message', (message: Message) => handler(message));
  process.once('disconnect', () => process.exit(0));
}
