/**
 * FrameReader: what it reads from a client's bytes, in every length class, masked, fragmented and
 * cut into chunks anywhere, and the close code for each broken rule; and, over arbitrary streams,
 * that it tells exactly what `ws`'s own Receiver tells for the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, MAX_FRAGMENTS, type FrameSink } from '../src/protocol/frame-reader.js';
import { clientFrame, closePayload, encodeClientFrame, frameStreamArb, wsReads, type ReadLog } from '../../../test/helpers/ws-frames.js';

const MAX_PAYLOAD = 32 * 1024;

/** Our reader over the chunks, logged as `wsReads` logs `ws`'s. */
function ourReads(chunks: readonly Buffer[], maxPayload = MAX_PAYLOAD): ReadLog {
  const log: ReadLog = [];
  const sink: FrameSink = {
    message: (data, binary) => log.push(binary ? `binary ${data.toString('hex')}` : `text ${data.toString('utf8')}`),
    ping: (payload) => log.push(`ping ${payload.toString('hex')}`),
    pong: () => log.push('pong'),
    closeFrame: (code, reason) => log.push(`close ${code ?? 1005} ${reason}`),
    fail: (code, reason) => log.push(`fail ${code} ${reason}`),
  };
  const reader = new FrameReader();
  for (const chunk of chunks) reader.push(Buffer.from(chunk), sink, { maxPayload });
  return log;
}

const TEXT = 0x1;
const BINARY = 0x2;
const CONTINUATION = 0x0;
const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;
const bytes = (...frames: Parameters<typeof clientFrame>[]) => Buffer.concat(frames.map((f) => encodeClientFrame(clientFrame(...f))));

describe('FrameReader reads', () => {
  it.each([0, 1, 125, 126, 65_535, 65_536, 100_000])('a %i-byte text message in its length class', (n) => {
    const text = 'é'.repeat(Math.floor(n / 2)) + 'a'.repeat(n % 2);
    expect(ourReads([bytes([TEXT, text])], 0)).toEqual([`text ${text}`]);
  });

  it('lengths written longer than needed, and an all-zero mask', () => {
    const frames = [
      clientFrame(TEXT, 'sixteen', { length: '16-bit' }),
      clientFrame(TEXT, 'sixty-four', { length: '64-bit' }),
      clientFrame(TEXT, 'zero mask', { mask: Buffer.alloc(4) }),
    ];
    expect(ourReads([Buffer.concat(frames.map(encodeClientFrame))])).toEqual(['text sixteen', 'text sixty-four', 'text zero mask']);
  });

  it('a message in fragments, with a ping between them, as one message', () => {
    const stream = bytes([TEXT, 'he', { fin: false }], [PING, 'p'], [CONTINUATION, 'll', { fin: false }], [CONTINUATION, 'o']);
    expect(ourReads([stream])).toEqual(['ping 70', 'text hello']);
  });

  it('UTF-8 split between fragments, and a binary message as bytes', () => {
    const euro = Buffer.from('€');
    const stream = bytes([TEXT, euro.subarray(0, 1), { fin: false }], [CONTINUATION, euro.subarray(1)], [BINARY, Buffer.from([0, 255])]);
    expect(ourReads([stream])).toEqual(['text €', 'binary 00ff']);
  });

  it('the same frames however the stream is cut into chunks, one byte at a time included', () => {
    const stream = bytes([TEXT, 'a'.repeat(300)], [PING, 'x'], [TEXT, 'b', { fin: false }], [CONTINUATION, 'c'], [PONG, ''], [CLOSE, closePayload(1000, 'bye')]);
    const whole = ourReads([stream]);
    expect(whole).toEqual([`text ${'a'.repeat(300)}`, 'ping 78', 'text bc', 'pong', 'close 1000 bye']);
    expect(ourReads([...stream].map((byte) => Buffer.from([byte])))).toEqual(whole);
    for (let cut = 1; cut < stream.length; cut += 7) expect(ourReads([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
  });

  it('a close without a code as 1005, and nothing after a close', () => {
    expect(ourReads([bytes([CLOSE, ''], [TEXT, 'late'])])).toEqual(['close 1005 ']);
  });
});

describe('FrameReader fails a client that breaks a rule, with the close code ws gives', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['an unmasked frame', bytes([TEXT, 'x', { mask: undefined }]), 1002],
    ['RSV1 without an extension', bytes([TEXT, 'x', { rsv: 0x40 }]), 1002],
    ['RSV2', bytes([TEXT, 'x', { rsv: 0x20 }]), 1002],
    ['RSV3', bytes([TEXT, 'x', { rsv: 0x10 }]), 1002],
    ['a reserved data opcode', bytes([0x3, 'x']), 1002],
    ['a reserved control opcode', bytes([0xb, '']), 1002],
    ['a continuation with no message started', bytes([CONTINUATION, 'x']), 1002],
    ['a new message while one is in fragments', bytes([TEXT, 'a', { fin: false }], [TEXT, 'b']), 1002],
    ['a fragmented control frame', bytes([PING, 'x', { fin: false }]), 1002],
    ['a control frame over 125 bytes', bytes([PING, 'x'.repeat(126)]), 1002],
    ['a close frame of one byte', bytes([CLOSE, Buffer.from([3])]), 1002],
    ['a close code that may not be sent (1005)', bytes([CLOSE, closePayload(1005)]), 1002],
    ['a close code out of range (5000)', bytes([CLOSE, closePayload(5000)]), 1002],
    ['a close reason that is not UTF-8', bytes([CLOSE, closePayload(1000, Buffer.from([0xff]))]), 1007],
    ['a text message that is not UTF-8', bytes([TEXT, Buffer.from([0x61, 0xff])]), 1007],
    ['text cut off inside a character at its end', bytes([TEXT, Buffer.from('€').subarray(0, 2)]), 1007],
    ['a frame over the payload limit', bytes([TEXT, 'x'.repeat(MAX_PAYLOAD + 1)]), 1009],
    ['fragments together over the payload limit', bytes([TEXT, 'x'.repeat(MAX_PAYLOAD), { fin: false }], [CONTINUATION, 'x']), 1009],
    ['a 64-bit length past 2^53 - 1', Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3, 4]), 1009],
  ];

  it.each(cases)('%s', (_name, stream, code) => {
    const ours = ourReads([stream]);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(new RegExp(`^fail ${code} `));
    expect(ours).toEqual(wsReads([stream], MAX_PAYLOAD, MAX_FRAGMENTS));
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65_535])('fails a close with code %i, as ws does', (code) => {
    const stream = bytes([CLOSE, closePayload(code)]);
    expect(ourReads([stream])).toEqual([`fail 1002 Invalid WebSocket frame: invalid status code ${code}`]);
    expect(wsReads([stream], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual(ourReads([stream]));
  });

  it.each([1000, 1003, 1007, 1014, 3000, 4999])('accepts a close with code %i', (code) => {
    expect(ourReads([bytes([CLOSE, closePayload(code, 'why')])])).toEqual([`close ${code} why`]);
  });

  it('accepts a message of exactly the limit, in fragments with a ping between them at the limit', () => {
    const half = 'x'.repeat(MAX_PAYLOAD / 2);
    const stream = bytes([TEXT, half, { fin: false }], [CONTINUATION, half, { fin: false }], [PING, 'p'], [CONTINUATION, '']);
    expect(ourReads([stream])).toEqual(['ping 70', `text ${half}${half}`]);
  });

  it('reads a close between fragments that fill the limit', () => {
    const half = 'x'.repeat(MAX_PAYLOAD / 2);
    const stream = bytes([TEXT, half, { fin: false }], [CONTINUATION, half, { fin: false }], [CLOSE, closePayload(1000)]);
    expect(ourReads([stream])).toEqual(['close 1000 ']);
  });

  it('takes the largest 64-bit length ws reads as a number to the payload limit, not to the 2^53 check', () => {
    const header = Buffer.from([0x81, 0xff, 0, 0x1f, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3, 4]); // high word 2^21 - 1
    expect(ourReads([header])).toEqual(['fail 1009 Max payload size exceeded']);
    expect(wsReads([header], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual(ourReads([header]));
  });

  it('fails a 64-bit length over the limit whose high word alone says so', () => {
    const header = Buffer.from([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 5, 1, 2, 3, 4]); // 2^32 + 5 bytes
    expect(ourReads([header])).toEqual(['fail 1009 Max payload size exceeded']);
    expect(wsReads([header], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual(ourReads([header]));
  });

  it('fails a too-long frame from its header, before its payload arrives', () => {
    const header = Buffer.from([0x81, 0xfe, 0xff, 0xff]); // masked, 16-bit length 65,535
    expect(ourReads([header])).toEqual(['fail 1009 Max payload size exceeded']);
  });

  it(`accepts a message in exactly ${MAX_FRAGMENTS} fragments`, () => {
    const fragments = Array.from({ length: MAX_FRAGMENTS }, (_, i) => encodeClientFrame(clientFrame(i === 0 ? TEXT : CONTINUATION, 'a', { fin: i === MAX_FRAGMENTS - 1 })));
    expect(ourReads([Buffer.concat(fragments)])).toEqual([`text ${'a'.repeat(MAX_FRAGMENTS)}`]);
  });

  it(`closes with 1008 past ${MAX_FRAGMENTS} fragments in one message, and reads nothing after a failure`, () => {
    const fragments = Array.from({ length: MAX_FRAGMENTS }, (_, i) => encodeClientFrame(clientFrame(i === 0 ? TEXT : CONTINUATION, '', { fin: false })));
    const stream = Buffer.concat([...fragments, bytes([CONTINUATION, 'x'], [TEXT, 'after'])]);
    expect(ourReads([stream])).toEqual(['fail 1008 Too many message fragments']);
    expect(wsReads([stream], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual(ourReads([stream]));
  });
});

describe('FrameReader against ws', () => {
  it('tells what ws tells for any stream of frames, however it is cut', () => {
    fc.assert(
      fc.property(frameStreamArb, ({ chunks }) => {
        expect(ourReads(chunks)).toEqual(wsReads(chunks, MAX_PAYLOAD, MAX_FRAGMENTS));
      }),
      { numRuns: 2000 },
    );
  });
});
