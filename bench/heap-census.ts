/**
 * Where an idle connection's JS heap goes: the connections bench's setup (warm-up, then N idle
 * subscribed sockets) on the embedded server and on bare `ws`, with a heap snapshot at its
 * "before" and "after" points, and the difference per connection by kind of object, side by side.
 *
 *   npx tsx --conditions=@pusher-auth-server/source bench/heap-census.ts [connections=2000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { heapSnapshotPath, measureSide } from './connections.js';
import { censusDelta, readCensus, type CensusDelta } from './lib/heap-census.js';
import { fmt, table } from './lib/stats.js';

const connections = Number(process.argv[2] ?? 2000);
const SIDES = [
  ['bare ws', 'baseline-ws.ts'],
  ['embedded server', 'serve.ts'],
] as const;

const dir = await mkdtemp(path.join(tmpdir(), 'heap-census-'));
try {
  const deltas = new Map<string, CensusDelta[]>();
  for (const [name, script] of SIDES) {
    const side = await measureSide(script, { connections, channels: 100, concurrency: 100, rounds: 1, heapSnapshotDir: dir });
    const at = (point: 'before' | 'after') => readCensus(heapSnapshotPath(dir, script, point) ?? '');
    deltas.set(name, censusDelta(await at('before'), await at('after'), connections));
    // RSS is left out: writing the "before" snapshot itself grows it.
    console.log(`${name}: JS heap ${fmt(side.heapPerConnection / 1024, 2)} KB/conn`);
  }
  const keys = [...new Set([...deltas.values()].flatMap((d) => d.map((e) => e.key)))];
  const cell = (name: string, key: string) => {
    const entry = deltas.get(name)?.find((e) => e.key === key);
    return entry ? `${fmt(entry.countPer, 2)} × ${fmt(entry.bytesPer / entry.countPer || 0)} B = ${fmt(entry.bytesPer)} B` : '';
  };
  const total = (name: string) => (deltas.get(name) ?? []).reduce((sum, e) => sum + e.bytesPer, 0);
  const weight = (key: string) => Math.max(...SIDES.map(([name]) => Math.abs(deltas.get(name)?.find((e) => e.key === key)?.bytesPer ?? 0)));
  keys.sort((a, b) => weight(b) - weight(a));
  console.log(`\nJS heap per idle connection by kind (${fmt(connections)} connections; objects per connection × bytes each)\n`);
  console.log(table(['kind', ...SIDES.map(([name]) => name)], [...keys.map((key) => [key, ...SIDES.map(([name]) => cell(name, key))]), ['total listed', ...SIDES.map(([name]) => `${fmt(total(name))} B`)]]));
} finally {
  await rm(dir, { recursive: true, force: true });
}
