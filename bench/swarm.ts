/**
 * A swarm of raw protocol-7 clients in its own process (its CPU and file descriptors apart from
 * the server's). Opens and subscribes sockets on request, then counts the frames its sockets
 * receive and, on every socket or one in `sampleEvery`, their latency from the timestamp inside
 * `data` (`{"ts":<epoch ms>}`).
 */
import type WebSocket from 'ws';
import { onMessage, report } from './lib/child.js';
import { nowMs, type MeasureRequest, type Measured, type OpenRequest, type Opened, type SettleRequest, type Settled } from './lib/messages.js';
import { closeSockets, openSubscribed, pool } from './lib/pusher-ws.js';
import { percentile } from './lib/stats.js';

const sockets: WebSocket[] = [];
let unexpectedCloses = 0;
let closing = false;
let measuring: { expected: number; sampleEvery: number; count: number; latencies: number[]; lastAt: number; done: () => void } | undefined;
/** Frames that arrived outside a measurement (a previous round's backlog), and the last frame's time. */
let strays = 0;
let lastFrameAt = 0;
const PING = '"pusher:ping"';
const PING_MAX_BYTES = 64;
const PONG = JSON.stringify({ event: 'pusher:pong', data: {} });
const TS = /\\"ts\\":([0-9.]+)/;

/**
 * During a measurement every frame counts (nothing else is sent to these channels then); only
 * the sampled sockets (index divisible by `sampleEvery`) decode frames for their latency.
 */
function onFrame(raw: Buffer, index: number): void {
  lastFrameAt = nowMs();
  const m = measuring;
  if (!m) {
    strays += 1;
    return;
  }
  const now = lastFrameAt;
  m.count += 1;
  m.lastAt = now;
  if (index % m.sampleEvery === 0) {
    const ts = TS.exec(raw.toString('utf8'))?.[1];
    m.latencies.push(ts === undefined ? Number.NaN : now - Number(ts));
  }
  if (m.count >= m.expected) m.done();
}

async function open(request: OpenRequest): Promise<void> {
  const started = nowMs();
  const failures = await pool(request.count, request.concurrency, async (i) => {
    const channel = `${request.channelPrefix}-${i % request.channels}`;
    const socket = await openSubscribed(request.wsUrl, request.key, channel, request.timeoutMs);
    const index = sockets.length;
    socket.on('message', (raw: Buffer) => {
      // Like pusher-js: the server closes (4201) a client that leaves its ping unanswered.
      if (raw.length < PING_MAX_BYTES && raw.includes(PING)) socket.send(PONG);
      else onFrame(raw, index);
    });
    socket.on('close', () => {
      if (!closing) unexpectedCloses += 1;
    });
    sockets.push(socket);
  });
  report({ type: 'opened', opened: sockets.length, failures, ms: nowMs() - started } satisfies Opened);
}

async function measure(request: MeasureRequest): Promise<void> {
  const latencies: number[] = [];
  let count = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, request.timeoutMs);
    measuring = {
      expected: request.expected,
      sampleEvery: request.sampleEvery,
      count: 0,
      latencies,
      lastAt: Number.NaN,
      done: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    report({ type: 'measuring' });
  });
  const lastAt = measuring?.lastAt ?? Number.NaN;
  count = measuring?.count ?? 0;
  measuring = undefined;
  report({
    type: 'measured',
    deliveries: count,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: percentile(latencies, 100),
    lastAt,
    unexpectedCloses,
  } satisfies Measured);
}

async function closeAll(): Promise<void> {
  closing = true;
  await closeSockets(sockets);
  sockets.length = 0;
  report({ type: 'closed' });
}

/** Waits until no frame has arrived for `quietMs` (at most `timeoutMs`), so a round's backlog cannot count in the next. */
async function settle(request: SettleRequest): Promise<void> {
  const deadline = nowMs() + request.timeoutMs;
  while (nowMs() - lastFrameAt < request.quietMs && nowMs() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, request.quietMs / 4));
  }
  report({ type: 'settled', strays, quiet: nowMs() - lastFrameAt >= request.quietMs } satisfies Settled);
  strays = 0;
}

onMessage((message) => {
  if (message.type === 'settle') void settle(message as SettleRequest);
  if (message.type === 'open') void open(message as OpenRequest);
  if (message.type === 'measure') void measure(message as MeasureRequest);
  if (message.type === 'close') void closeAll();
  if (message.type === 'stop') {
    closing = true;
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
report({ type: 'ready' });
