/**
 * Idle connections: N raw ws clients (in a swarm process, with its own file descriptors) connect
 * and subscribe to public channels, on the embedded server and on the bare `ws` baseline
 * (baseline-ws.ts), each side a fresh server and swarm per round, sides alternating. Memory per
 * connection is the server's RSS and heap growth (after a full GC) divided by the connections
 * it holds; connect time is the swarm's, for all N. Figures are medians of the rounds. Targets
 * (issue 20, lib/report.ts): RSS per connection at most 0.9x bare `ws`, connect time at most 1.1x.
 */
import path from 'node:path';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import type { MemoryMessage, MemoryRequest } from './lib/memory.js';
import type { Opened } from './lib/messages.js';
import { medianFields } from './lib/stats.js';

export interface ConnectionsOptions {
  readonly connections: number;
  readonly channels: number;
  readonly concurrency: number;
  readonly rounds: number;
  /** Where each side writes heap snapshots at its "before" and "after" points (bench/heap-census.ts); none when unset. */
  readonly heapSnapshotDir?: string;
}

export interface ConnectionsSide {
  readonly connected: number;
  readonly connectSeconds: number;
  readonly rssPerConnection: number;
  readonly heapPerConnection: number;
  /** heapUsed + external (ws and socket buffers live outside the JS heap). */
  readonly heapAndExternalPerConnection: number;
  readonly serverRssMb: number;
  /** Warm-up sockets the server still held when the "before" snapshot was taken (not counted). */
  readonly leftover: number;
}

export interface ConnectionsResults {
  readonly baseline: ConnectionsSide;
  readonly server: ConnectionsSide;
}

interface Ready extends Message {
  readonly type: 'ready';
  readonly url: string;
  readonly key: string;
}

/**
 * The young generation at Node 20's default maximum from the start: V8 grows it from 8 to 32 MB
 * under allocation, in one server during the measured window and in the other before it, which
 * would put up to 2.4 KB per connection of young-generation pages in one side's RSS.
 */
const PINNED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];
const WARMUP_CONNECTIONS = 200;
/** How long the server may take to see the warm-up sockets' closes before we count around them. */
const DRAIN_DEADLINE_MS = 10_000;
const DRAIN_POLL_MS = 100;

async function memory(server: BenchChild, heapSnapshot?: string): Promise<MemoryMessage> {
  server.send<MemoryRequest>({ type: 'memory', ...(heapSnapshot === undefined ? {} : { heapSnapshot }) });
  return server.next<MemoryMessage>('memory', 30_000);
}

/** Polls the server until it holds no connection or the deadline passes; the last snapshot. */
async function drained(server: BenchChild, heapSnapshot?: string): Promise<MemoryMessage> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  let snapshot = await memory(server);
  while (snapshot.connections > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    snapshot = await memory(server);
  }
  return heapSnapshot === undefined ? snapshot : memory(server, heapSnapshot);
}

/** The heap snapshot file of one side at one point, when snapshots were asked for. */
export function heapSnapshotPath(dir: string | undefined, script: string, point: 'before' | 'after'): string | undefined {
  return dir === undefined ? undefined : path.join(dir, `${path.basename(script, '.ts')}-${point}.heapsnapshot`);
}

export async function measureSide(script: 'serve.ts' | 'baseline-ws.ts', options: ConnectionsOptions): Promise<ConnectionsSide> {
  const env = script === 'serve.ts' ? serverEnv() : {};
  const server = spawnBench(script, { env, nodeArgs: ['--expose-gc', ...PINNED_YOUNG_GENERATION] });
  const swarm = spawnBench('swarm.ts');
  try {
    const ready = await server.next<Ready>('ready', 20_000);
    await swarm.next('ready', 20_000);
    const open = (count: number) => ({
      type: 'open',
      wsUrl: ready.url.replace('http', 'ws'),
      key: ready.key,
      count,
      channelPrefix: 'idle',
      channels: options.channels,
      concurrency: options.concurrency,
      timeoutMs: 30_000,
    });
    // Warm-up: code paths compiled and pools allocated before the "before" snapshot.
    swarm.send(open(WARMUP_CONNECTIONS));
    await swarm.next<Opened>('opened', 60_000);
    swarm.send({ type: 'close' });
    await swarm.next('closed', 30_000);
    const before = await drained(server, heapSnapshotPath(options.heapSnapshotDir, script, 'before'));

    swarm.send(open(options.connections));
    const opened = await swarm.next<Opened>('opened', 300_000);
    const after = await memory(server, heapSnapshotPath(options.heapSnapshotDir, script, 'after'));
    const n = options.connections;
    // Warm-up sockets still held at "before" may have closed since: the server holds n plus at most those.
    if (opened.failures > 0 || after.connections < n || after.connections > n + before.connections) {
      throw new Error(`connections bench (${script}): ${opened.failures} failed; the server holds ${after.connections} for ${n} new connections (${before.connections} left from the warm-up)`);
    }
    return {
      connected: n,
      connectSeconds: opened.ms / 1000,
      rssPerConnection: (after.rss - before.rss) / n,
      heapPerConnection: (after.heapUsed - before.heapUsed) / n,
      heapAndExternalPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / n,
      serverRssMb: after.rss / 1024 / 1024,
      leftover: before.connections,
    };
  } finally {
    await Promise.all([swarm.stop(), server.stop()]);
  }
}

function medianSide(rounds: readonly ConnectionsSide[]): ConnectionsSide {
  return {
    ...medianFields(rounds, ['connected', 'connectSeconds', 'rssPerConnection', 'heapPerConnection', 'heapAndExternalPerConnection', 'serverRssMb']),
    leftover: Math.max(...rounds.map((r) => r.leftover)),
  };
}

export async function runConnectionsBench(options: ConnectionsOptions): Promise<ConnectionsResults> {
  const baseline: ConnectionsSide[] = [];
  const server: ConnectionsSide[] = [];
  for (let r = 0; r < options.rounds; r += 1) {
    const order = r % 2 === 0 ? (['baseline', 'server'] as const) : (['server', 'baseline'] as const);
    for (const name of order) {
      if (name === 'baseline') baseline.push(await measureSide('baseline-ws.ts', options));
      else server.push(await measureSide('serve.ts', options));
    }
  }
  return { baseline: medianSide(baseline), server: medianSide(server) };
}
