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
    fail: (code) => log.push(`fail ${code}`),
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
    expect(ourReads([stream])).toEqual([`fail ${code}`]);
    expect(wsReads([stream], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual([`fail ${code}`]);
  });

  it('fails a too-long frame from its header, before its payload arrives', () => {
    const header = Buffer.from([0x81, 0xfe, 0xff, 0xff]); // masked, 16-bit length 65,535
    expect(ourReads([header])).toEqual(['fail 1009']);
  });

  it(`closes with 1008 past ${MAX_FRAGMENTS} fragments in one message, and reads nothing after a failure`, () => {
    const fragments = Array.from({ length: MAX_FRAGMENTS }, (_, i) => encodeClientFrame(clientFrame(i === 0 ? TEXT : CONTINUATION, '', { fin: false })));
    const stream = Buffer.concat([...fragments, bytes([CONTINUATION, 'x'], [TEXT, 'after'])]);
    expect(ourReads([stream])).toEqual(['fail 1008']);
    expect(wsReads([stream], MAX_PAYLOAD, MAX_FRAGMENTS)).toEqual(['fail 1008']);
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
