/**
 * Property: whatever mix of readers a channel has (readers that keep up, readers that stop
 * reading, readers that take a byte every few milliseconds, public or presence), every reader that
 * keeps up gets every event in order, no server socket ever holds more than the cap plus one frame
 * (and the close), and what the server still counts (connections, presence members) is exactly the
 * readers it has not closed with 4100.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_EVENT_FRAME_BYTES, Reader, startWatchedPusher, type WatchedPusher } from '../helpers/readers.js';
import { readerMix, type ReaderMix } from '../helpers/arbitraries.js';

const CLOSE_FRAME_BYTES = 128;
let server: WatchedPusher | undefined;
let readers: Reader[] = [];

afterEach(() => cleanUp());

async function cleanUp(): Promise<void> {
  for (const reader of readers) reader.terminate();
  readers = [];
  await server?.close();
  server = undefined;
}

async function run({ kinds, presence, events, maxBufferedBytes }: ReaderMix): Promise<void> {
  const closed = new Set<string>();
  const running = await startWatchedPusher({ maxBufferedBytes, hooks: { onSlowConsumerClosed: (socketId) => closed.add(socketId) } });
  server = running;
  const channel = presence ? 'presence-fanout' : 'fanout';
  for (const [i, kind] of kinds.entries()) readers.push(await Reader.join(running, channel, kind, presence ? `u${i}` : undefined));
  const healthy = readers.filter((r) => r.kind === 'healthy');
  const slow = readers.filter((r) => r.kind !== 'healthy');
  const wires = slow.map((r) => running.wireOf(r));
  let mostBuffered = 0;
  for (let sent = 0; sent < events; sent += 10) {
    await running.publish(channel, sent, 10);
    for (const wire of wires) mostBuffered = Math.max(mostBuffered, wire.writableLength);
    await Promise.all(healthy.map((r) => r.waitForEvents(sent + 10)));
  }

  expect(mostBuffered).toBeLessThanOrEqual(maxBufferedBytes + MAX_EVENT_FRAME_BYTES + CLOSE_FRAME_BYTES);
  for (const reader of healthy) expect([reader.events, reader.outOfOrder]).toEqual([events, 0]);
  for (const reader of slow) expect(reader.outOfOrder).toBe(0);
  expect([...closed].every((id) => slow.some((r) => r.socketId === id))).toBe(true);
  const open = readers.length - closed.size;
  expect(running.embedded.stats()).toEqual({ connections: open, channels: 1, presenceMembers: presence ? open : 0 });
}

describe('fan-out to readers of every speed', () => {
  it('serves those that keep up in full and bounds what the slow ones cost', async () => {
    await fc.assert(
      fc.asyncProperty(readerMix, async (mix) => {
        try {
          await run(mix);
        } finally {
          await cleanUp();
        }
      }),
      { numRuns: 8 },
    );
  }, 180_000);

  it('closes many paused readers of one presence channel, each once, and the others see them leave', async () => {
    await run({ kinds: ['healthy', 'paused', 'paused', 'paused', 'paused', 'paused', 'paused', 'paused', 'paused', 'healthy'], presence: true, events: 1500, maxBufferedBytes: 16 * 1024 });
    expect(server?.embedded.stats().connections).toBe(2);
    const survivors = readers.filter((r) => r.kind === 'healthy');
    await Promise.all(survivors.map((r) => r.sync()));
    for (const reader of survivors) expect(reader.membersRemoved).toBe(8);
  }, 60_000);
});
