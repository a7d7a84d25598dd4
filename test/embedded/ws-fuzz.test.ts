/**
 * Property: whatever frames a client sends to the embedded server (garbage, binary, wrong shapes,
 * forged and genuine signatures), it answers with protocol frames only: well-formed, `data` as a
 * string, `pusher:error` with a known code, never an internal error, never a subscription that
 * was not signed, never a sign-in; the connection stays up (a failed sign-in alone closes it, 4009).
 * Client JSON nested thousands deep (client event data, presence user_info) is refused with 4301.
 * Below the protocol, arbitrary WebSocket frames (broken rules, fragments, control frames, cut
 * into TCP chunks anywhere) end as `ws`'s own Receiver says they must: the same close code, the
 * client's close echoed, or the connection still serving and every ping answered with its payload.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';
import { channelName, deepJsonText } from '../helpers/arbitraries.js';
import { expectedAuth } from '../helpers/tokens.js';
import { RawClient, type Frame } from '../../conformance/raw-client.js';
import { RawWire } from '../helpers/raw-wire.js';
import { clientFrame, encodeClientFrame, frameStreamArb, wsReads } from '../helpers/ws-frames.js';

const SIGN = '<sign me>';
let server: RunningServer;
let watcher: RawClient;

beforeAll(async () => {
  server = await startTestServer();
  // Connected all along, on the real clock: it answers the server's pings like any client.
  watcher = await RawClient.connect(server.url, server.config.app.key, { answerPings: true });
});
afterAll(async () => {
  await watcher.close();
  await server.close();
});

const anyEvent = fc.oneof(
  fc.constantFrom('pusher:subscribe', 'pusher:unsubscribe', 'pusher:ping', 'pusher:pong', 'pusher:signin', 'client-x', 'client-', 'pusher:nope', 'pusher_internal:subscription_succeeded'),
  fc.string({ maxLength: 20 }),
);
const channelData = fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.constantFrom('{"user_id":"1"}', '{"user_id":2,"user_info":{"a":1}}'));
const subscribe = fc
  .record({ channel: fc.oneof({ weight: 5, arbitrary: channelName }, { weight: 1, arbitrary: fc.jsonValue() }), auth: fc.oneof(fc.constant(SIGN), fc.string({ maxLength: 30 })), channel_data: channelData }, { requiredKeys: ['channel'] })
  .map((data) => ({ event: 'pusher:subscribe', data }));
const shaped = fc
  .record({ event: anyEvent, channel: channelName, data: fc.oneof(fc.jsonValue(), fc.record({ channel: channelName, auth: fc.string(), user_data: fc.string() }, { requiredKeys: [] })) }, { requiredKeys: ['event'] });
/** Every run first joins this channel (signed), so deep client events get past the membership check. */
const JOINED = 'private-fuzz';
const deep = fc.oneof(
  deepJsonText.map((data) => `{"event":"client-deep","channel":"${JOINED}","data":${data}}`),
  // channel_data is a string, so its quotes are escaped: keep the frame under 32 KB all the same.
  deepJsonText.filter((info) => JSON.stringify(info).length < 30_000).map((info) => ({ event: 'pusher:subscribe', data: { channel: 'presence-deep', auth: SIGN, channel_data: `{"user_id":"u","user_info":${info}}` } })),
);
const frame = fc.oneof(
  { weight: 2, arbitrary: deep },
  { weight: 4, arbitrary: subscribe },
  { weight: 4, arbitrary: shaped },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)) },
);

const isAuthorized = (name: string) => name.startsWith('private-') || name.startsWith('presence-') || name.startsWith('#');
const errorCode = (f: Frame) => (JSON.parse(f.data as string) as { code: unknown; message: unknown }).code;

/** Sends the frames; genuine signatures replace SIGN. Returns the channels signed for this socket. */
function sendAll(probe: RawClient, frames: readonly unknown[]): Set<string> {
  const signed = new Set<string>();
  for (const item of frames) {
    const message = item as { event?: unknown; data?: { channel?: unknown; auth?: unknown; channel_data?: unknown } };
    const data = message?.data;
    if (message?.event === 'pusher:subscribe' && data?.auth === SIGN && typeof data.channel === 'string') {
      const toSign = `${probe.socketId}:${data.channel}${typeof data.channel_data === 'string' ? `:${data.channel_data}` : ''}`;
      data.auth = expectedAuth(server.config.app, toSign);
      signed.add(data.channel);
    }
    probe.send(Buffer.isBuffer(item) ? item : typeof item === 'string' ? item : JSON.stringify(item));
  }
  return signed;
}

describe('the WebSocket protocol under arbitrary frames', () => {
  it('answers with well-formed protocol frames only and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 12 }), async (frames) => {
        const probe = await RawClient.connect(server.url, server.config.app.key);
        const signed = sendAll(probe, [{ event: 'pusher:subscribe', data: { channel: JOINED, auth: SIGN } }, ...frames]);
        const closed = await Promise.race([probe.closed, probe.barrier().then(() => undefined)]);
        expect(probe.malformed).toEqual([]);
        for (const f of probe.frames) {
          if (f.data !== undefined) expect(typeof f.data, f.raw).toBe('string');
          if (f.event === 'pusher:error') {
            expect([null, 4009, 4301], f.raw).toContain(errorCode(f));
            expect(f.raw).not.toContain('Internal server error');
          }
          if (f.event === 'pusher_internal:subscription_succeeded' && isAuthorized(f.channel ?? '')) {
            expect(signed.has(f.channel ?? ''), `unsigned subscription: ${f.raw}`).toBe(true);
          }
          expect(f.event).not.toBe('pusher:signin_success');
        }
        if (closed) {
          expect(closed.code).toBe(4009);
          expect(frames.some((f) => (f as { event?: unknown })?.event === 'pusher:signin')).toBe(true);
        } else {
          await probe.close();
        }
      }),
      { numRuns: 150 },
    );
    await withTimeout(watcher.sync(), 5000, 'the watcher, connected all along, to be served');
    const fresh = await RawClient.connect(server.url, server.config.app.key);
    await fresh.close();
  });
});

/** The embedded server's limits: a message of at most 32 KB, in at most 1,024 fragments. */
const MAX_PAYLOAD = 32 * 1024;
const MAX_FRAGMENTS = 1024;
const PING_EVENT = encodeClientFrame(clientFrame(0x1, '{"event":"pusher:ping","data":{}}'));

describe('the WebSocket framing under arbitrary frames', () => {
  it('ends each stream as ws would: its close code, the close echoed, or still serving', async () => {
    const { port } = new URL(server.url);
    await fc.assert(
      fc.asyncProperty(frameStreamArb, async ({ chunks }) => {
        const wire = await RawWire.open(Number(port), `/app/${server.config.app.key}?protocol=7`);
        try {
          await wire.frame(0); // connection_established
          // A pusher:ping last: a connection still serving answers it with a pusher:pong.
          const stream = [...chunks, PING_EVENT];
          const reference = wsReads(stream, MAX_PAYLOAD, MAX_FRAGMENTS);
          for (const chunk of stream) wire.send(chunk);
          const last = reference.at(-1) ?? '';
          if (last.startsWith('fail ')) {
            await waitForLine(wire, `close ${last.split(' ')[1]} `);
          } else if (last.startsWith('close ')) {
            await waitForLine(wire, last);
          } else {
            await waitForLine(wire, 'text {"event":"pusher:pong","data":"{}"}');
            const pings = reference.filter((line) => line.startsWith('ping ')).map((line) => `pong ${line.slice('ping '.length)}`);
            expect(wire.frames.items.filter((line) => line.startsWith('pong '))).toEqual(pings);
          }
        } finally {
          wire.socket.destroy();
        }
      }),
      { numRuns: 150 },
    );
    const fresh = await RawClient.connect(server.url, server.config.app.key);
    await fresh.close();
  });
});

/** Waits until the server has sent exactly this line (a frame in `wsReader`'s format). */
async function waitForLine(wire: RawWire, line: string): Promise<void> {
  for (let seen = 0; ; seen += 1) {
    const frame = await wire.frame(seen);
    if (frame === line) return;
    expect(frame.startsWith('close '), `closed with ${frame} while waiting for ${line}`).toBe(false);
  }
}
