/**
 * Slow consumers: a client that stops reading must not make the server hold every frame. Past
 * `maxBufferedBytes` unsent on its TCP socket it is closed with 4100 (over capacity), its socket
 * destroyed if the close cannot get through, and the readers that keep up lose nothing.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, logLine } from '../../../test/helpers/logger.js';
import { MAX_EVENT_FRAME_BYTES, Reader, startWatchedPusher, type WatchedPusher } from '../../../test/helpers/readers.js';
import { Inbox, withTimeout } from '../../../test/helpers/wait.js';
import { OVER_CAPACITY_GRACE_MS } from '../src/socket/connection.js';

const CAP = 64 * 1024;
/** ws's close frame, written behind the last event. */
const CLOSE_FRAME_BYTES = 128;
let server: WatchedPusher | undefined;
const readers: Reader[] = [];

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.terminate();
  await server?.close();
  server = undefined;
});

async function join(channel: string, kind: Reader['kind']): Promise<Reader> {
  if (!server) throw new Error('start the server first');
  const reader = await Reader.join(server, channel, kind);
  readers.push(reader);
  return reader;
}

/**
 * Publishes `total` events in batches of ten, each batch only once every healthy reader has the
 * one before (they keep up); returns the most bytes the slow reader's server socket ever held.
 */
async function publishInStep(running: WatchedPusher, channel: string, total: number, healthy: readonly Reader[], slow: Reader): Promise<number> {
  const wire = running.wireOf(slow);
  let mostBuffered = 0;
  for (let sent = 0; sent < total; sent += 10) {
    await running.publish(channel, sent, 10);
    mostBuffered = Math.max(mostBuffered, wire.writableLength);
    await Promise.all(healthy.map((reader) => reader.waitForEvents(sent + 10)));
  }
  return mostBuffered;
}

describe('a client that stops reading', () => {
  it('is closed with 4100 past the cap while 30 MB pass; it never holds more than the cap plus one frame; the others get every event', async () => {
    const slowClosed = new Inbox<{ socketId: string; bufferedBytes: number }>();
    const hookOrder: string[] = [];
    const onSlowConsumerClosed = (socketId: string, bufferedBytes: number) => {
      slowClosed.push({ socketId, bufferedBytes });
      hookOrder.push(`slow ${socketId}`);
      paused.resume(); // it reads what reached it, then the close frame, within the grace
    };
    const onConnectionClosed = (socketId: string) => void hookOrder.push(`closed ${socketId}`);
    server = await startWatchedPusher({ maxBufferedBytes: CAP, hooks: { onSlowConsumerClosed, onConnectionClosed } });
    const healthy = [await join('news', 'healthy'), await join('news', 'healthy')];
    const paused = await join('news', 'paused');
    const total = 3000; // 3,000 events of about 10 KB: 30 MB to each reader

    const mostBuffered = await publishInStep(server, 'news', total, healthy, paused);

    expect(mostBuffered).toBeLessThanOrEqual(CAP + MAX_EVENT_FRAME_BYTES + CLOSE_FRAME_BYTES);
    expect(slowClosed.items).toEqual([{ socketId: paused.socketId, bufferedBytes: expect.any(Number) }]);
    expect(slowClosed.items[0]?.bufferedBytes).toBeGreaterThan(CAP);
    for (const reader of healthy) expect([reader.events, reader.outOfOrder]).toEqual([total, 0]);
    expect(server.embedded.stats().connections).toBe(2);
    // Told it was slow before it is told it closed, and forgotten once.
    expect(hookOrder).toEqual([`slow ${paused.socketId}`, `closed ${paused.socketId}`]);

    expect(await withTimeout(paused.closed, 5000, 'the paused reader to see its close')).toBe(4100);
    expect(paused.events).toBeLessThan(total);
    expect(paused.outOfOrder).toBe(0); // what it got, it got in order: a cut, never a gap
  }, 60_000);

  it('has its TCP socket destroyed when it never reads the close, after the grace', async () => {
    let closedAt: number | undefined;
    server = await startWatchedPusher({ maxBufferedBytes: CAP, hooks: { onSlowConsumerClosed: () => (closedAt = Date.now()) } });
    const healthy = await join('news', 'healthy');
    const paused = await join('news', 'paused');
    const wire = server.wireOf(paused);
    const wireClosed = once(wire, 'close');
    let sent = 0;
    while (closedAt === undefined && sent < 3000) {
      await server.publish('news', sent, 10);
      sent += 10;
      await healthy.waitForEvents(sent);
    }
    expect(server.embedded.stats().connections).toBe(1);
    await withTimeout(wireClosed, OVER_CAPACITY_GRACE_MS + 3000, 'the slow socket to be destroyed');
    expect(wire.destroyed).toBe(true);
    expect(Date.now() - (closedAt ?? 0)).toBeGreaterThanOrEqual(OVER_CAPACITY_GRACE_MS - 50);
    await server.publish('news', sent, 10);
    await healthy.waitForEvents(sent + 10); // the survivor carries on
    expect(healthy.outOfOrder).toBe(0);
  }, 60_000);

  it('is logged once at warn with its socket id and buffered bytes, never a payload', async () => {
    const { logger, lines } = captureLogger('debug');
    server = await startWatchedPusher({ maxBufferedBytes: CAP, logger });
    const healthy = await join('news', 'healthy');
    const paused = await join('news', 'paused');
    await publishInStep(server, 'news', 1500, [healthy], paused);
    const line = await logLine(lines, 'embedded server: closed a connection that reads too slowly (4100)');
    expect(line).toMatchObject({ level: 40, socketId: paused.socketId, bufferedBytes: expect.any(Number) });
    const warnings = lines.items.filter((l) => l.msg === line.msg);
    expect(warnings).toHaveLength(1);
    expect(lines.items.some((l) => JSON.stringify(l).includes('xxxxxxxx'))).toBe(false);
  }, 60_000);

  it('is left alone, holding what it has not read, when the cap is 0 (off)', async () => {
    const slowClosed: string[] = [];
    server = await startWatchedPusher({ maxBufferedBytes: 0, hooks: { onSlowConsumerClosed: (socketId) => slowClosed.push(socketId) } });
    const healthy = await join('news', 'healthy');
    const paused = await join('news', 'paused');
    // Past what the kernel's buffers take on loopback, the rest waits in the server's memory.
    const mostBuffered = await publishInStep(server, 'news', 2000, [healthy], paused);
    expect(slowClosed).toEqual([]);
    expect(server.embedded.stats().connections).toBe(2);
    expect(mostBuffered).toBeGreaterThan(4 * CAP);
  }, 60_000);
});

describe('a client that reads one byte at a time', () => {
  it('is closed with 4100 like a paused one, the healthy reader unaffected', async () => {
    const slowClosed: string[] = [];
    server = await startWatchedPusher({ maxBufferedBytes: CAP, hooks: { onSlowConsumerClosed: (socketId) => slowClosed.push(socketId) } });
    const healthy = await join('news', 'healthy');
    const trickle = await join('news', 'trickle');
    const mostBuffered = await publishInStep(server, 'news', 1500, [healthy], trickle);
    expect(slowClosed).toEqual([trickle.socketId]);
    expect(mostBuffered).toBeLessThanOrEqual(CAP + MAX_EVENT_FRAME_BYTES + CLOSE_FRAME_BYTES);
    expect([healthy.events, healthy.outOfOrder]).toEqual([1500, 0]);
  }, 60_000);
});

describe('a client that sends WebSocket pings without reading the pongs', () => {
  it("is cut off by the limit on unanswered pongs before it holds anything like the cap", async () => {
    server = await startWatchedPusher({ maxBufferedBytes: CAP });
    const pinger = await join('news', 'paused');
    const wire = server.wireOf(pinger);
    const wireClosed = once(wire, 'close');
    const payload = Buffer.alloc(125, 1); // the largest ping: each answer is 127 bytes
    let mostBuffered = 0;
    for (let round = 0; round < 500 && !wire.destroyed; round += 1) {
      for (let i = 0; i < 999; i += 1) pinger.ws.ping(payload);
      await new Promise<void>((resolve) => pinger.ws.ping(payload, false, () => resolve())); // written out
      mostBuffered = Math.max(mostBuffered, wire.writableLength);
    }
    await withTimeout(wireClosed, 10_000, 'the pinging socket to be destroyed');
    expect(mostBuffered).toBeLessThanOrEqual(CAP);
    expect(server.embedded.stats().connections).toBe(0);
  }, 60_000);
});
