/**
 * Reconnect storm: `clients` clients, each with its own token never seen before, come
 * back at the same moment: each opens a WebSocket on the embedded server, authorizes
 * `private-user-<id>` and one presence channel through POST /pusher/auth, and subscribes
 * (lib/storm-client.ts). One embedded server serves every WebSocket; what changes is who answers
 * the auth requests:
 *   one-process   the same process (startServer() in embedded mode, as `npm start`)
 *   remote-auth   a second instance of this project in remote mode, pointed at the first
 *   baseline      a hand-written Express + jose + pusher route in a second process
 *   floor         a reference, not an auth server: signing only, checking nothing (floor-storm-auth.ts)
 * Setups take turns round by round, in a rotating order, so drift on a shared machine hits all.
 */
import { loadAverage } from './lib/machine.js';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { BENCH_JWT_SECRET, benchTokens, serverEnv } from './lib/env.js';
import { cpuMs, listenOverflows } from './lib/proc.js';
import type { StormRequest, StormResult } from './lib/storm-messages.js';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type Setup = 'one-process' | 'remote-auth' | 'baseline' | 'floor';
export const SETUPS: readonly Setup[] = ['one-process', 'baseline', 'remote-auth', 'floor'];

export interface StormOptions {
  readonly clients: number;
  /** Members per presence channel (at most 100, Pusher's limit). */
  readonly presenceSize: number;
  /** Clients in flight at once; `clients` for all at the same moment. */
  readonly concurrency: number;
  readonly rounds: number;
  readonly warmupClients: number;
  /** Per client, from its start until it is back on every channel. */
  readonly timeoutMs: number;
  /** The servers' LOG_LEVEL (stdout discarded); `info` is what `npm start` logs. */
  readonly logLevel: string;
  /**
   * After the rounds, one more storm per setup with each of its processes profiled, into
   * `profileFile(profileDir, setup, role)` (lib/profile-window.ts).
   */
  readonly profileDir?: string;
}

export interface StormRun extends Omit<StormResult, 'type'> {
  /** utime + stime during the storm: the embedded server, the auth process when it is another one, the clients. */
  readonly serverCpuMs: number;
  readonly authCpuMs: number;
  readonly clientsCpuMs: number;
  /** Connection attempts turned away by a full accept queue, machine-wide (lib/proc.ts). */
  readonly listenOverflows: number;
}

export interface StormResults {
  readonly runs: Record<Setup, StormRun[]>;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

interface Ready extends Message {
  readonly url: string;
}

const READY_MS = 30_000;
const DRAIN_MS = 30_000;
const DRAIN_POLL_MS = 100;
const APP = { PUSHER_APP_ID: 'bench', PUSHER_KEY: 'bench-key', PUSHER_SECRET: randomBytes(20).toString('hex') };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Processes {
  readonly server: BenchChild;
  readonly clients: BenchChild;
  readonly auth: Record<Setup, { readonly child: BenchChild; readonly url: string }>;
  readonly wsUrl: string;
}

async function startProcesses(options: StormOptions, children: BenchChild[]): Promise<Processes> {
  const spawn = (script: string, env: Record<string, string>) => {
    const child = spawnBench(script, { env, discardStdout: true });
    children.push(child);
    return child;
  };
  const logs = { LOG_LEVEL: options.logLevel };
  const server = spawn('serve.ts', serverEnv({ ...APP, ...logs }));
  const clients = spawn('storm-clients.ts', {});
  const serverReady = await server.next<Ready>('ready', READY_MS);
  const embedded = { PUSHER_HOST: '127.0.0.1', PUSHER_PORT: new URL(serverReady.url).port };
  const remote = spawn('serve.ts', serverEnv({ ...APP, ...logs, ...embedded, PUSHER_USE_TLS: 'false' }));
  const baseline = spawn('baseline-storm-auth.ts', { ...APP, ...embedded, JWT_SECRET: BENCH_JWT_SECRET });
  const floor = spawn('floor-storm-auth.ts', { ...APP, ...embedded });
  const [remoteReady, baselineReady, floorReady] = await Promise.all([
    remote.next<Ready>('ready', READY_MS),
    baseline.next<Ready>('ready', READY_MS),
    floor.next<Ready>('ready', READY_MS),
    clients.next('ready', READY_MS),
  ]);
  return {
    server,
    clients,
    wsUrl: serverReady.url.replace(/^http/, 'ws'),
    auth: {
      'one-process': { child: server, url: serverReady.url },
      'remote-auth': { child: remote, url: remoteReady.url },
      baseline: { child: baseline, url: baselineReady.url },
      floor: { child: floor, url: floorReady.url },
    },
  };
}

/** Waits until the embedded server has let every socket of the last storm go (presence rosters empty). */
async function drained(server: BenchChild): Promise<void> {
  const deadline = Date.now() + DRAIN_MS;
  for (;;) {
    server.send({ type: 'memory' });
    const { connections } = await server.next<Message & { connections: number }>('memory', DRAIN_MS);
    if (connections === 0) return;
    if (Date.now() > deadline) throw new Error(`storm: ${connections} sockets still open ${DRAIN_MS} ms after the clients closed`);
    await sleep(DRAIN_POLL_MS);
  }
}

/** `settled` runs once every client is back or failed, before they close (e.g. to end a profile). */
async function storm(p: Processes, setup: Setup, clients: number, run: string, options: StormOptions, settled?: () => Promise<void>): Promise<StormRun> {
  const userIds = Array.from({ length: clients }, (_, i) => String(i + 1));
  const tokens = await benchTokens(userIds, run);
  const auth = p.auth[setup];
  const pids = [p.server.process.pid ?? 0, auth.child.process.pid ?? 0, p.clients.process.pid ?? 0];
  const cpuBefore = pids.map(cpuMs);
  const overflowsBefore = listenOverflows();
  const request: StormRequest = {
    type: 'storm',
    wsUrl: p.wsUrl,
    key: APP.PUSHER_KEY,
    authUrl: auth.url,
    tokens,
    userIds,
    presenceSize: options.presenceSize,
    concurrency: Math.min(options.concurrency, clients),
    timeoutMs: options.timeoutMs,
  };
  p.clients.send(request);
  const waves = Math.ceil(clients / request.concurrency);
  const { type: _type, ...result } = await p.clients.next<StormResult>('stormed', options.timeoutMs * waves + 30_000);
  const [serverCpu = Number.NaN, authCpu = Number.NaN, clientsCpu = Number.NaN] = pids.map((pid, i) => cpuMs(pid) - (cpuBefore[i] ?? 0));
  const overflows = listenOverflows() - overflowsBefore;
  await settled?.();
  p.clients.send({ type: 'close' });
  await p.clients.next('closed', DRAIN_MS);
  await drained(p.server);
  return { ...result, serverCpuMs: serverCpu, authCpuMs: setup === 'one-process' ? 0 : authCpu, clientsCpuMs: clientsCpu, listenOverflows: overflows };
}

export function failureText(run: StormRun): string {
  return Object.entries(run.failures).map(([reason, n]) => `${n} × ${reason}`).join(', ');
}

/** The processes a setup runs on, by role; the one-process server is both `server` and `auth`. */
export type StormRole = 'server' | 'auth' | 'clients';

function processesOf(p: Processes, setup: Setup): [StormRole, BenchChild][] {
  const auth = p.auth[setup].child;
  return auth === p.server ? [['server', p.server], ['clients', p.clients]] : [['server', p.server], ['auth', auth], ['clients', p.clients]];
}

/** `<dir>/<setup>-<role>.cpuprofile` for each of the setup's processes. */
export function profileFile(dir: string, setup: Setup, role: StormRole): string {
  return path.join(dir, `${setup}-${role}.cpuprofile`);
}

async function profiledStorm(p: Processes, setup: Setup, options: StormOptions, dir: string): Promise<void> {
  const roles = processesOf(p, setup);
  for (const [, child] of roles) child.send({ type: 'profile-start' });
  await Promise.all(roles.map(([, child]) => child.next('profiling', READY_MS)));
  await storm(p, setup, options.clients, `profile-${setup}`, options, async () => {
    for (const [role, child] of roles) child.send({ type: 'profile-stop', file: profileFile(dir, setup, role) });
    await Promise.all(roles.map(([, child]) => child.next('profiled', READY_MS)));
  });
}

export async function runStormBench(options: StormOptions): Promise<StormResults> {
  const children: BenchChild[] = [];
  const loadBefore = loadAverage();
  try {
    const p = await startProcesses(options, children);
    // A full-size warm-up (JIT, lazy imports, heaps grown to a storm's size), and a check that each setup authorizes at all.
    for (const setup of SETUPS) {
      const warm = await storm(p, setup, options.warmupClients, `warmup-${setup}`, options);
      if (warm.back !== warm.clients) throw new Error(`storm: the ${setup} warm-up failed: ${failureText(warm)}; refusing to measure errors`);
    }
    const runs: Record<Setup, StormRun[]> = { 'one-process': [], 'remote-auth': [], baseline: [], floor: [] };
    for (let round = 0; round < options.rounds; round += 1) {
      const order = [...SETUPS.slice(round % SETUPS.length), ...SETUPS.slice(0, round % SETUPS.length)];
      for (const setup of order) runs[setup].push(await storm(p, setup, options.clients, `${setup}-${round}`, options));
    }
    const { profileDir } = options;
    if (profileDir) for (const setup of SETUPS) await profiledStorm(p, setup, options, profileDir);
    return { runs, loadBefore, loadAfter: loadAverage() };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

/** Whole number >= 1 from the environment, or the fallback when unset. */
function envCount(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`bench: ${name} must be a whole number from 1 to ${max}`);
  return value;
}

/** STORM_CLIENTS (3,000; 500 with --quick), STORM_ROUNDS, STORM_CONCURRENCY, STORM_PRESENCE_SIZE, STORM_LOG_LEVEL. */
export function stormOptionsFromEnv(env: NodeJS.ProcessEnv, quick: boolean): StormOptions {
  const clients = envCount(env, 'STORM_CLIENTS', quick ? 500 : 3000, 20_000);
  return {
    clients,
    presenceSize: envCount(env, 'STORM_PRESENCE_SIZE', 50, 100),
    concurrency: envCount(env, 'STORM_CONCURRENCY', clients),
    rounds: envCount(env, 'STORM_ROUNDS', quick ? 1 : 3, 20),
    warmupClients: clients,
    timeoutMs: 60_000,
    logLevel: env.STORM_LOG_LEVEL ?? 'info',
  };
}
