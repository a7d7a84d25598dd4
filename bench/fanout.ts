/**
 * Fan-out: N raw ws subscribers on one channel of the embedded server, events published through
 * POST /trigger at a fixed offered rate (open loop), against bare `ws` broadcasting the same
 * frames (baseline-ws.ts), in the same run. Each side has its own client swarm process; rounds
 * alternate the sides (and which goes first), and each figure is the median of the rounds.
 */
import Pusher from 'pusher';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { BENCH_TRIGGER_TOKEN, serverEnv } from './lib/env.js';
import { nowMs, type Measured, type Opened, type Settled } from './lib/messages.js';
import { publishPaced } from './lib/pace.js';
import { medianFields } from './lib/stats.js';

/** One offered load: `rate` events/s for `seconds`, latency sampled on one socket in `sampleEvery`. */
export interface FanoutLoad {
  readonly name: string;
  readonly rate: number;
  readonly seconds: number;
  readonly sampleEvery: number;
}

export interface FanoutOptions {
  readonly subscribers: number;
  readonly loads: readonly FanoutLoad[];
  readonly rounds: number;
  /** How long deliveries may trail the last publish before the missing ones count as lost. */
  readonly drainSeconds: number;
  readonly serverNodeArgs: readonly string[];
}

export interface FanoutSide {
  readonly deliveriesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Deliveries that never came (for a median side: summed over the rounds). */
  readonly lost: number;
  /** Deliveries that came after the drain time, and so count neither as delivered nor as lost (summed). */
  readonly late: number;
  /** Publishes that did not answer 200 (summed), and the first one's error: their deliveries count as lost if they never came. */
  readonly failedPublishes: number;
  readonly firstError: string | undefined;
  /** What the publisher achieved (median), to check it kept the target rate. */
  readonly offeredPerSecond: number;
  readonly maxLagMs: number;
}

export interface FanoutRun {
  readonly load: FanoutLoad;
  readonly baseline: FanoutSide;
  readonly server: FanoutSide;
}

export interface FanoutResults {
  readonly runs: readonly FanoutRun[];
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
/** A publish not answered by then counts as failed (the server's own /trigger gives up after 5 s). */
const PUBLISH_TIMEOUT_MS = 15_000;
/** Between rounds: the previous round's late deliveries must have stopped arriving. */
const SETTLE_QUIET_MS = 1000;
const SETTLE_TIMEOUT_MS = 120_000;
/** Far above what either side needs at the offered rates: a bound, not a brake. */
const MAX_IN_FLIGHT = 1000;

const data = (seq: number) => ({ ts: nowMs(), seq });

function httpPublisher(url: string, headers: Record<string, string>): Publish {
  return async (event, seq) => {
    const body = JSON.stringify({ channel: CHANNEL, event, data: data(seq) });
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS) });
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

interface Side {
  readonly name: string;
  readonly swarm: BenchChild;
  readonly publish: Publish;
}

async function round(side: Side, load: FanoutLoad, subscribers: number, drainSeconds: number): Promise<FanoutSide> {
  const events = Math.round(load.rate * load.seconds);
  const expected = events * subscribers;
  const timeoutMs = (load.seconds + drainSeconds) * 1000;
  side.swarm.send({ type: 'measure', expected, sampleEvery: load.sampleEvery, timeoutMs });
  await side.swarm.next('measuring', 5000);
  const started = nowMs();
  const paced = await publishPaced(load.rate, events, MAX_IN_FLIGHT, (seq) => side.publish(load.name, seq));
  const result = await side.swarm.next<Measured>('measured', timeoutMs + 10_000);
  if (result.unexpectedCloses > 0) throw new Error(`fan-out (${side.name}): ${result.unexpectedCloses} subscribers were closed`);
  side.swarm.send({ type: 'settle', quietMs: SETTLE_QUIET_MS, timeoutMs: SETTLE_TIMEOUT_MS });
  const settled = await side.swarm.next<Settled>('settled', SETTLE_TIMEOUT_MS + 5000);
  if (!settled.quiet) throw new Error(`fan-out (${side.name}): deliveries still arriving ${SETTLE_TIMEOUT_MS / 1000} s after the round's deadline`);
  return {
    deliveriesPerSecond: result.deliveries > 0 ? (result.deliveries / (result.lastAt - started)) * 1000 : 0,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    lost: expected - result.deliveries - settled.strays,
    late: settled.strays,
    failedPublishes: paced.failures,
    firstError: paced.firstError,
    offeredPerSecond: paced.offeredPerSecond,
    maxLagMs: paced.maxLagMs,
  };
}

function medianSide(rounds: readonly FanoutSide[]): FanoutSide {
  return {
    ...medianFields(rounds, ['deliveriesPerSecond', 'p50Ms', 'p99Ms', 'offeredPerSecond']),
    lost: rounds.reduce((sum, r) => sum + r.lost, 0),
    late: rounds.reduce((sum, r) => sum + r.late, 0),
    failedPublishes: rounds.reduce((sum, r) => sum + r.failedPublishes, 0),
    firstError: rounds.find((r) => r.firstError !== undefined)?.firstError,
    maxLagMs: Math.max(...rounds.map((r) => r.maxLagMs)),
  };
}

async function openSubscribers(swarm: BenchChild, target: Ready, subscribers: number): Promise<void> {
  swarm.send({ type: 'open', wsUrl: target.url.replace('http', 'ws'), key: target.key, count: subscribers, channelPrefix: 'fanout', channels: 1, concurrency: 50, timeoutMs: 10_000 });
  const opened = await swarm.next<Opened>('opened', 60_000);
  if (opened.failures > 0) throw new Error(`fan-out: ${opened.failures} subscribers failed to connect`);
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
    await openSubscribers(swarms[0], baseReady, options.subscribers);
    await openSubscribers(swarms[1], serverReady, options.subscribers);
    const base: Side = { name: 'bare ws', swarm: swarms[0], publish: httpPublisher(`${baseReady.url}/publish`, { 'content-type': 'application/json' }) };
    const { publish, via } = await serverPublisher(serverReady);
    const srv: Side = { name: 'embedded server', swarm: swarms[1], publish };
    const warm: FanoutLoad = { name: 'warmup', rate: 50, seconds: 1, sampleEvery: 10 };
    for (const side of [base, srv]) await round(side, warm, options.subscribers, options.drainSeconds);

    const results = options.loads.map(() => ({ baseline: [] as FanoutSide[], server: [] as FanoutSide[] }));
    for (let r = 0; r < options.rounds; r += 1) {
      for (const [i, load] of options.loads.entries()) {
        const into = results[i] as (typeof results)[number];
        const order = r % 2 === 0 ? (['baseline', 'server'] as const) : (['server', 'baseline'] as const);
        for (const name of order) {
          const side = name === 'baseline' ? base : srv;
          const result = await round(side, load, options.subscribers, options.drainSeconds);
          into[name].push(result);
          process.stdout.write(`  round ${r + 1}, ${load.rate} ev/s, ${side.name}: ${Math.round(result.deliveriesPerSecond)} deliveries/s, p99 ${result.p99Ms.toFixed(1)} ms, lost ${result.lost}, late ${result.late}\n`);
        }
      }
    }
    const runs = options.loads.map((load, i) => {
      const { baseline: b, server: s } = results[i] as (typeof results)[number];
      return { load, baseline: medianSide(b), server: medianSide(s) };
    });
    return { runs, via };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
