/**
 * One subscriber that stops reading while two keep up: how much the server process (its own
 * process, GC'd before each reading) grows while `--mb` megabytes are published to the channel,
 * with EMBEDDED_MAX_BUFFERED_BYTES at `--cap` (default 1 MiB; 0 = off, the behaviour before the cap).
 *
 *   npx tsx --conditions=@pusher-auth-server/source bench/slow-consumer.ts --mb=90 --cap=0
 */
import { READER_APP, Reader, eventPublisher } from '../test/helpers/readers.js';
import { spawnBench, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import type { MemoryMessage } from './lib/memory.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const megabytes = arg('mb', 90);
const cap = arg('cap', 1_048_576);
const EVENTS_PER_MB = 100; // events of about 10 KB

const server = spawnBench('serve.ts', {
  env: serverEnv({ PUSHER_APP_ID: READER_APP.appId, PUSHER_KEY: READER_APP.key, PUSHER_SECRET: READER_APP.secret, EMBEDDED_MAX_BUFFERED_BYTES: String(cap) }),
  nodeArgs: ['--expose-gc'],
});
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
try {
  const { url } = await server.next<Message & { url: string }>('ready', 30_000);
  const memory = async () => {
    server.send({ type: 'memory' });
    return server.next<MemoryMessage>('memory', 30_000);
  };
  const healthy = [await Reader.join({ url }, 'news', 'healthy'), await Reader.join({ url }, 'news', 'healthy')];
  const paused = await Reader.join({ url }, 'news', 'paused');
  const publish = eventPublisher(url);
  const before = await memory();
  let peak = before;
  const total = megabytes * EVENTS_PER_MB;
  for (let sent = 0; sent < total; sent += 10) {
    await publish('news', sent, 10);
    await Promise.all(healthy.map((reader) => reader.waitForEvents(sent + 10, 60_000)));
    if (sent % (10 * EVENTS_PER_MB) === 0) {
      const now = await memory();
      if (now.rss > peak.rss) peak = now;
    }
  }
  const after = await memory();
  const grew = (field: 'rss' | 'heapUsed' | 'external') => mib(after[field] - before[field]);
  console.log(`cap ${cap} bytes, ${megabytes} MB published to 3 subscribers (1 paused), ${total} events`);
  console.log(`  healthy readers: ${healthy.map((r) => `${r.events} events, ${r.outOfOrder} out of order`).join('; ')}`);
  console.log(`  paused reader: ${paused.events} events read before pausing; server connections now ${after.connections}`);
  console.log(`  growth after the run: rss ${grew('rss')}, heapUsed ${grew('heapUsed')}, external ${grew('external')}`);
  console.log(`  peak rss during the run: ${mib(peak.rss - before.rss)} above the start`);
  for (const reader of [...healthy, paused]) reader.terminate();
} finally {
  await server.stop();
}
