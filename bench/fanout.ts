/**
 * Fan-out: N raw ws subscribers on one channel of the embedded server, events published through
 * POST /trigger, against bare `ws` broadcasting the same frames (baseline-ws.ts), in the same run.
 * Each side has its own client swarm process; rounds alternate baseline and server.
 */
import Pusher from 'pusher';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { BENCH_TRIGGER_TOKEN, serverEnv } from './lib/env.js';
import { nowMs, type Measured, type Opened } from './lib/messages.js';
import { pool } from './lib/pusher-ws.js';
import { mean } from './lib/stats.js';

export interface FanoutOptions {
  readonly subscribers: number;
  readonly events: number;
  readonly inFlight: number;
  readonly rounds: number;
  readonly serverNodeArgs: readonly string[];
}

export interface FanoutSide {
  readonly deliveriesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly lost: number;
}

export interface FanoutResults {
  readonly baseline: FanoutSide;
  readonly server: FanoutSide;
  /** How events reached the embedded server. */
  readonly via: string;
}

interface Ready extends Message {
  readonly type: 'ready';
  readonly url: string;
  readonly key: string;
  readonly appId?: string;
}

type Publish = (event: string, seq: number) => Promise<void>;
const CHANNEL = 'fanout-0';
const SECRET = 'bench-fanout-secret';

const data = (seq: number) => ({ ts: nowMs(), seq });

function httpPublisher(url: string, headers: Record<string, string>): Publish {
  return async (event, seq) => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ channel: CHANNEL, event, data: data(seq) }) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`fan-out publish: ${response.status} ${text.slice(0, 200)}`);
  };
}

/** /trigger when the route is mounted; otherwise the embedded HTTP API through the SDK (what /trigger calls). */
async function serverPublisher(ready: Ready): Promise<{ publish: Publish; via: string }> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TRIGGER_TOKEN}` };
  const trigger = httpPublisher(`${ready.url}/trigger`, headers);
  try {
    await trigger('probe', -1);
    return { publish: trigger, via: 'POST /trigger' };
  } catch (err) {
    if (!String(err).includes(': 404')) throw err;
  }
  const { hostname, port } = new URL(ready.url);
  const sdk = new Pusher({ appId: ready.appId ?? 'local', key: ready.key, secret: SECRET, host: hostname, port });
  const publish: Publish = async (event, seq) => {
    await sdk.trigger(CHANNEL, event, data(seq));
  };
  return { publish, via: 'embedded HTTP API via the pusher SDK (POST /trigger is not mounted)' };
}

async function round(swarm: BenchChild, publish: Publish, event: string, options: FanoutOptions): Promise<FanoutSide> {
  const expected = options.events * options.subscribers;
  swarm.send({ type: 'measure', expected, timeoutMs: 60_000 });
  await swarm.next('measuring', 5000);
  const started = nowMs();
  await pool(options.events, options.inFlight, (seq) => publish(event, seq));
  const result = await swarm.next<Measured>('measured', 65_000);
  if (result.unexpectedCloses > 0) throw new Error(`fan-out: ${result.unexpectedCloses} subscribers were closed`);
  return {
    deliveriesPerSecond: (result.deliveries / (result.lastAt - started)) * 1000,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    lost: expected - result.deliveries,
  };
}

function averageSides(sides: readonly FanoutSide[]): FanoutSide {
  return {
    deliveriesPerSecond: mean(sides.map((s) => s.deliveriesPerSecond)),
    p50Ms: mean(sides.map((s) => s.p50Ms)),
    p99Ms: mean(sides.map((s) => s.p99Ms)),
    lost: sides.reduce((sum, s) => sum + s.lost, 0),
  };
}

export async function runFanoutBench(options: FanoutOptions): Promise<FanoutResults> {
  const children: BenchChild[] = [];
  const spawn = (script: string, env?: Record<string, string>, nodeArgs?: readonly string[]) => {
    const child = spawnBench(script, { ...(env ? { env } : {}), ...(nodeArgs ? { nodeArgs } : {}) });
    children.push(child);
    return child;
  };
  try {
    const baseline = spawn('baseline-ws.ts');
    const server = spawn('serve.ts', serverEnv({ PUSHER_SECRET: SECRET }), options.serverNodeArgs);
    const swarms = [spawn('swarm.ts'), spawn('swarm.ts')] as const;
    const [baseReady, serverReady] = await Promise.all([baseline.next<Ready>('ready', 20_000), server.next<Ready>('ready', 20_000)]);
    await Promise.all(swarms.map((s) => s.next('ready', 20_000)));
    const targets = [baseReady, serverReady] as const;
    for (const [i, swarm] of swarms.entries()) {
      const target = targets[i] as Ready;
      swarm.send({ type: 'open', wsUrl: target.url.replace('http', 'ws'), key: target.key, count: options.subscribers, channelPrefix: 'fanout', channels: 1, concurrency: 50, timeoutMs: 10_000 });
      const opened = await swarm.next<Opened>('opened', 60_000);
      if (opened.failures > 0) throw new Error(`fan-out: ${opened.failures} subscribers failed to connect`);
    }
    const basePublish = httpPublisher(`${baseReady.url}/publish`, { 'content-type': 'application/json' });
    const { publish: serverPublish, via } = await serverPublisher(serverReady);
    const warm = { ...options, events: Math.min(50, options.events) };
    await round(swarms[0], basePublish, 'warmup', warm);
    await round(swarms[1], serverPublish, 'warmup', warm);
    const baseRuns: FanoutSide[] = [];
    const serverRuns: FanoutSide[] = [];
    for (let r = 0; r < options.rounds; r += 1) {
      baseRuns.push(await round(swarms[0], basePublish, 'fanout', options));
      serverRuns.push(await round(swarms[1], serverPublish, 'fanout', options));
    }
    return { baseline: averageSides(baseRuns), server: averageSides(serverRuns), via };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
