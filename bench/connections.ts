/**
 * Idle connections: N raw ws clients (in a swarm process, with its own file descriptors) connect
 * and subscribe to public channels of the embedded server; memory per connection is the server's
 * RSS and heap growth (after a full GC) divided by N, and the time to connect them all.
 */
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import type { MemoryMessage } from './lib/memory.js';
import type { Opened } from './lib/messages.js';

export interface ConnectionsOptions {
  readonly connections: number;
  readonly channels: number;
  readonly concurrency: number;
}

export interface ConnectionsResults {
  readonly connected: number;
  readonly connectSeconds: number;
  readonly connectionsPerSecond: number;
  readonly rssPerConnection: number;
  readonly heapPerConnection: number;
  /** heapUsed + external (ws and socket buffers live outside the JS heap). */
  readonly heapAndExternalPerConnection: number;
  readonly serverRssMb: number;
}

interface Ready extends Message {
  readonly type: 'ready';
  readonly url: string;
  readonly key: string;
}

const WARMUP_CONNECTIONS = 200;

async function memory(server: BenchChild): Promise<MemoryMessage> {
  server.send({ type: 'memory' });
  return server.next<MemoryMessage>('memory', 30_000);
}

export async function runConnectionsBench(options: ConnectionsOptions): Promise<ConnectionsResults> {
  const server = spawnBench('serve.ts', { env: serverEnv(), nodeArgs: ['--expose-gc'] });
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
    const before = await memory(server);
    if (before.connections !== 0) throw new Error(`connections bench: ${before.connections} warm-up connections still open`);

    swarm.send(open(options.connections));
    const opened = await swarm.next<Opened>('opened', 300_000);
    const after = await memory(server);
    if (opened.failures > 0 || after.connections !== options.connections) {
      throw new Error(`connections bench: ${opened.failures} failed; the server holds ${after.connections} of ${options.connections}`);
    }
    const n = options.connections;
    return {
      connected: after.connections,
      connectSeconds: opened.ms / 1000,
      connectionsPerSecond: n / (opened.ms / 1000),
      rssPerConnection: (after.rss - before.rss) / n,
      heapPerConnection: (after.heapUsed - before.heapUsed) / n,
      heapAndExternalPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / n,
      serverRssMb: after.rss / 1024 / 1024,
    };
  } finally {
    await Promise.all([swarm.stop(), server.stop()]);
  }
}
