/**
 * A/B for a fan-out change: `npx tsx bench/ab-fanout.ts <other checkout> [subscribers] [rounds]`
 * runs this checkout's server (A) and another's (B) side by side, each with its own subscriber
 * swarm, and publishes the same events through POST /trigger to both, interleaved round by round.
 * Its figure is the server's CPU time per 1,000 deliveries (utime + stime from /proc), which
 * other work on a loaded machine disturbs far less than latency; p50/p99 are printed beside it.
 * The rate is modest (20 events/s) so the swarms keep up and every delivery is counted.
 */
import path from 'node:path';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { BENCH_TRIGGER_TOKEN, serverEnv } from './lib/env.js';
import { nowMs, type Measured, type Opened } from './lib/messages.js';
import { publishPaced } from './lib/pace.js';
import { cpuMs } from './lib/proc.js';
import { fmt, median, ratio, table } from './lib/stats.js';

const [other, subscribersArg = '1000', roundsArg = '4'] = process.argv.slice(2);
if (!other) throw new Error('usage: npx tsx bench/ab-fanout.ts <other checkout> [subscribers] [rounds]');
const subscribers = Number(subscribersArg);
const rounds = Number(roundsArg);
const RATE = 20;
const EVENTS = 100;
interface Side {
  readonly name: string;
  readonly server: BenchChild;
  readonly swarm: BenchChild;
  readonly url: string;
}

const children: BenchChild[] = [];
const spawn = (script: string, root?: string) => {
  const child = spawnBench(script, { env: serverEnv(), ...(root ? { root: path.resolve(root) } : {}) });
  children.push(child);
  return child;
};

async function openSide(name: string, root?: string): Promise<Side> {
  const server = spawn('serve.ts', root);
  const swarm = spawn('swarm.ts');
  const ready = await server.next<Message & { url: string; key: string }>('ready', 20_000);
  await swarm.next('ready', 20_000);
  swarm.send({ type: 'open', wsUrl: ready.url.replace('http', 'ws'), key: ready.key, count: subscribers, channelPrefix: 'fanout', channels: 1, concurrency: 50, timeoutMs: 10_000 });
  const opened = await swarm.next<Opened>('opened', 120_000);
  if (opened.failures > 0) throw new Error(`${name}: ${opened.failures} subscribers failed to connect`);
  return { name, server, swarm, url: ready.url };
}

async function round(side: Side): Promise<{ cpuPer1000: number; p50Ms: number; p99Ms: number }> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TRIGGER_TOKEN}` };
  side.swarm.send({ type: 'measure', expected: EVENTS * subscribers, sampleEvery: 1, timeoutMs: 60_000 });
  await side.swarm.next('measuring', 5000);
  const pid = side.server.process.pid ?? 0;
  const before = cpuMs(pid);
  const paced = await publishPaced(RATE, EVENTS, 100, async (seq) => {
    const body = JSON.stringify({ channel: 'fanout-0', event: 'ab', data: { ts: nowMs(), seq } });
    const response = await fetch(`${side.url}/trigger`, { method: 'POST', headers, body });
    if (response.status !== 200) throw new Error(`${side.name}: publish ${response.status} ${await response.text()}`);
  });
  const measured = await side.swarm.next<Measured>('measured', 70_000);
  const used = cpuMs(pid) - before;
  if (measured.deliveries !== EVENTS * subscribers) throw new Error(`${side.name}: ${measured.deliveries} of ${EVENTS * subscribers} deliveries`);
  if (paced.failures > 0) process.stdout.write(`${side.name}: ${paced.failures} publishes failed (all delivered): ${paced.firstError ?? ''}\n`);
  return { cpuPer1000: (used / measured.deliveries) * 1000, p50Ms: measured.p50Ms, p99Ms: measured.p99Ms };
}

try {
  const sides = [await openSide('A (this checkout)'), await openSide(`B (${other})`, other)];
  const results = sides.map(() => [] as Awaited<ReturnType<typeof round>>[]);
  for (let r = 0; r < rounds; r += 1) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) results[i]?.push(await round(sides[i] as Side));
  }
  const cpu = results.map((runs) => median(runs.map((x) => x.cpuPer1000)));
  process.stdout.write(
    `${table(
      ['server', 'CPU ms per 1,000 deliveries (median)', 'per round', 'p50 ms', 'p99 ms', 'p99 per round'],
      sides.map((side, i) => {
        const runs = results[i] ?? [];
        return [side.name, fmt(cpu[i] ?? Number.NaN, 2), runs.map((x) => fmt(x.cpuPer1000, 2)).join(' '), fmt(median(runs.map((x) => x.p50Ms)), 1), fmt(median(runs.map((x) => x.p99Ms)), 1), runs.map((x) => fmt(x.p99Ms)).join(' ')];
      }),
    )}\nA/B CPU per delivery: ${ratio(cpu[0] ?? Number.NaN, cpu[1] ?? Number.NaN)}\n`,
  );
} finally {
  await Promise.all(children.map((c) => c.stop()));
}
