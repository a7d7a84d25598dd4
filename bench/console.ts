/**
 * npx tsx bench/console.ts [--quick]: does an open console slow POST /pusher/auth? The same
 * server, runs interleaved: no console reader, one reader reading the decision stream, and one
 * stalled reader (which the server drops). Printed only.
 */
import { connect, type Socket } from 'node:net';
import { authHeaders, authSpec } from './auth.js';
import { spawnBench, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { loadAverage } from './lib/machine.js';
import { fmt, mean, ratio, table } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const CONNECTIONS = 10;
const SECONDS = quick ? 2 : 5;
const ROUNDS = quick ? 1 : 3;
const CONSOLE_TOKEN = 'bench-console-token';
type Reader = 'none' | 'reading' | 'stalled';

/** A raw console stream: reads and discards, or never reads at all. */
function openReader(port: number, reading: boolean): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      if (reading) socket.on('data', () => undefined);
      else socket.pause();
      socket.write(`GET /console/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${CONSOLE_TOKEN}\r\n\r\n`);
      resolve(socket);
    });
  });
}

const server = spawnBench('serve.ts', { env: serverEnv({ CONSOLE_TOKEN }) });
try {
  const { url } = await server.next<Message & { url: string }>('ready', 20_000);
  const port = Number(new URL(url).port);
  const headers = await authHeaders();
  const spec = (seconds: number) => authSpec(url, headers, 'private', CONNECTIONS, seconds);
  await runLoad(spec(SECONDS)); // warm-up
  const runs: Record<Reader, LoadResult[]> = { none: [], reading: [], stalled: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const reader of ['none', 'reading', 'stalled'] as const) {
      const socket = reader === 'none' ? undefined : await openReader(port, reader === 'reading');
      const result = await runLoad(spec(SECONDS));
      socket?.destroy();
      if (result.failures > 0) throw new Error(`console bench: ${reader} had ${result.failures} failed requests`);
      runs[reader].push(result);
    }
  }
  const base = mean(runs.none.map((r) => r.requestsPerSecond));
  const rows = (Object.keys(runs) as Reader[]).map((reader) => {
    const rps = mean(runs[reader].map((r) => r.requestsPerSecond));
    return [reader, fmt(rps), fmt(mean(runs[reader].map((r) => r.p99Ms)), 1), ratio(rps, base)];
  });
  process.stdout.write(`POST /pusher/auth (private), ${CONNECTIONS} connections, ${ROUNDS}×${SECONDS} s each, load average ${fmt(loadAverage(), 1)}\n`);
  process.stdout.write(`${table(['console reader', 'req/s', 'p99 ms', 'ratio to none'], rows)}\n`);
} finally {
  await server.stop();
}
