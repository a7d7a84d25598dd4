/**
 * Client-to-server WebSocket frames for the frame reader's tests and fuzz: an encoder that can
 * break every rule (RSV bits, opcodes, no mask, oversized control frames, non-minimal lengths),
 * fast-check generators of frames and of ways to cut a byte stream into TCP chunks, and the
 * reference: what `ws`'s own server-side Receiver makes of the same bytes.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import * as ws from 'ws';

export interface ClientFrame {
  readonly fin: boolean;
  /** RSV1..3 as the bits 0x40, 0x20, 0x10. */
  readonly rsv: number;
  readonly opcode: number;
  /** Undefined: sent unmasked (a protocol error from a client). */
  readonly mask: Buffer | undefined;
  readonly payload: Buffer;
  /** How the length is written: the shortest form, or a longer one (legal, if unusual). */
  readonly length: 'shortest' | '16-bit' | '64-bit';
}

/** A well-formed frame: final, masked with a random key. */
export function clientFrame(opcode: number, payload: Buffer | string, overrides: Partial<ClientFrame> = {}): ClientFrame {
  return { fin: true, rsv: 0, opcode, mask: randomBytes(4), payload: Buffer.from(payload), length: 'shortest', ...overrides };
}

export function encodeClientFrame(frame: ClientFrame): Buffer {
  const n = frame.payload.length;
  const shortest = n < 126 ? '7-bit' : n < 65_536 ? '16-bit' : '64-bit';
  const form = frame.length === 'shortest' || (frame.length === '16-bit' && n >= 65_536) ? shortest : frame.length;
  const header = Buffer.alloc(form === '7-bit' ? 2 : form === '16-bit' ? 4 : 10);
  header[0] = (frame.fin ? 0x80 : 0) | frame.rsv | frame.opcode;
  header[1] = (frame.mask ? 0x80 : 0) | (form === '7-bit' ? n : form === '16-bit' ? 126 : 127);
  if (form === '16-bit') header.writeUInt16BE(n, 2);
  if (form === '64-bit') header.writeBigUInt64BE(BigInt(n), 2);
  if (!frame.mask) return Buffer.concat([header, frame.payload]);
  const mask = frame.mask;
  return Buffer.concat([header, mask, Buffer.from(frame.payload.map((byte, i) => byte ^ (mask[i & 3] as number)))]);
}

/** A close frame's payload: a code (valid or not) and a reason. */
export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return Buffer.concat([payload, Buffer.from(reason)]);
}

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])];
const CLOSE_CODES = [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1014, 1015, 999, 2999, 3000, 4000, 4999, 5000, 65_535];
/** Lengths on the edges of the 7-, 16- and 64-bit classes. */
const EDGE_LENGTHS = [0, 1, 124, 125, 126, 127, 65_535, 65_536];

const payload: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }).map((text) => Buffer.from(text)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...INVALID_UTF8)).map(([text, bad]) => Buffer.concat([Buffer.from(text), bad])) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_LENGTHS).map((n) => Buffer.alloc(n, 'a')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CLOSE_CODES), fc.oneof(fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)), fc.constantFrom(...INVALID_UTF8))).map(([code, reason]) => closePayload(code, reason)) },
);

/** Any frame: every field drawn, so every rule is broken now and then (and most frames break one). */
export const clientFrameArb: fc.Arbitrary<ClientFrame> = fc.record({
  fin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0x40, 0x20, 0x10) }),
  opcode: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(0x0, 0x1, 0x1, 0x1, 0x2, 0x8, 0x9, 0xa) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
  mask: fc.oneof({ weight: 12, arbitrary: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((bytes) => Buffer.from(bytes)) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  payload,
  length: fc.oneof({ weight: 8, arbitrary: fc.constant('shortest' as const) }, { weight: 1, arbitrary: fc.constantFrom('16-bit' as const, '64-bit' as const) }),
});

const mask = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((bytes) => Buffer.from(bytes));
const pingOrPong = fc.record({ opcode: fc.constantFrom(0x9, 0xa), payload: fc.uint8Array({ maxLength: 125 }).map((b) => Buffer.from(b)), mask });

/**
 * A legal message: text (valid UTF-8, cut anywhere, even inside a character) or binary, in one
 * or more fragments, with pings and pongs between them.
 */
const legalMessageArb: fc.Arbitrary<ClientFrame[]> = fc
  .record({
    binary: fc.boolean(),
    text: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...EDGE_LENGTHS).map((n) => 'é'.repeat(n >> 1))),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    controls: fc.array(fc.tuple(fc.nat(), pingOrPong), { maxLength: 2 }),
    masks: fc.array(mask, { minLength: 5, maxLength: 5 }),
  })
  .map(({ binary, text, cuts, controls, masks }) => {
    const bytes = Buffer.from(text);
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const parts = [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
    const frames: ClientFrame[] = parts.map((part, i) => ({
      fin: i === parts.length - 1,
      rsv: 0,
      opcode: i > 0 ? 0x0 : binary ? 0x2 : 0x1,
      mask: masks[i % masks.length],
      payload: part,
      length: 'shortest',
    }));
    for (const [at, control] of controls) frames.splice(1 + (at % frames.length), 0, { fin: true, rsv: 0, length: 'shortest', ...control });
    return frames;
  });

/** A close a client may send: a code it may send, or none, and a short reason. */
const legalCloseArb: fc.Arbitrary<ClientFrame> = fc
  .record({ code: fc.constantFrom(undefined, 1000, 1001, 1003, 1008, 1011, 3000, 4000, 4999), reason: fc.string({ maxLength: 30 }), mask })
  .map(({ code, reason, mask }) => ({ fin: true, rsv: 0, opcode: 0x8, mask, payload: code === undefined ? Buffer.alloc(0) : closePayload(code, reason), length: 'shortest' }));

/** Mostly legal messages (fragments and control frames between them), with any frame now and then, and sometimes a close. */
const framesArb: fc.Arbitrary<ClientFrame[]> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: legalMessageArb }, { weight: 1, arbitrary: clientFrameArb.map((frame) => [frame]) }), { minLength: 1, maxLength: 5 }),
    fc.option(legalCloseArb, { freq: 3 }),
  )
  .map(([groups, close]) => [...groups.flat(), ...(close === null ? [] : [close])]);

/** Frames as one byte stream, cut into TCP chunks at arbitrary points. */
export const frameStreamArb: fc.Arbitrary<{ frames: ClientFrame[]; chunks: Buffer[] }> = fc
  .tuple(framesArb, fc.array(fc.nat(), { maxLength: 6 }))
  .map(([frames, cuts]) => {
    const stream = Buffer.concat(frames.map(encodeClientFrame));
    const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
    const chunks = [0, ...points].map((start, i) => stream.subarray(start, points[i] ?? stream.length)).filter((c) => c.length > 0);
    return { frames, chunks };
  });

/**
 * What a server reading frames tells, one line each: `text <text>`, `binary <hex>`, `ping <hex>`,
 * `pong`, `close <code> <reason>` (1005 when the frame carried no code), `fail <close code> <why>`.
 * Nothing is read after a close or a failure.
 */
export type ReadLog = string[];

interface WsReceiver {
  on(event: string, listener: (...args: never[]) => void): void;
  _write(chunk: Buffer, encoding: string, cb: (err?: Error) => void): void;
}
/** `ws` exports its Receiver, untyped in @types/ws. */
const { Receiver } = ws as unknown as { Receiver: new (options: Record<string, unknown>) => WsReceiver };

/** The close code `ws` attaches to a protocol error (under a symbol of its own). */
function statusCodeOf(err: Error): number {
  const symbol = Object.getOwnPropertySymbols(err).find((s) => s.description === 'status-code');
  return symbol === undefined ? -1 : ((err as unknown as Record<symbol, number>)[symbol] ?? -1);
}

/**
 * `ws`'s Receiver, logging what it reads: on the server's side (`isServer`: frames must be masked)
 * with the server's limits, or on a client's (reading what a server sends).
 */
export function wsReader(options: { isServer: boolean; maxPayload?: number; maxFragments?: number }): { log: ReadLog; push(chunk: Buffer): void } {
  const log: ReadLog = [];
  let done = false;
  const receiver = new Receiver({ ...options, allowSynchronousEvents: true });
  receiver.on('message', (data: Buffer, binary: boolean) => log.push(binary ? `binary ${data.toString('hex')}` : `text ${data.toString('utf8')}`));
  receiver.on('ping', (data: Buffer) => log.push(`ping ${data.toString('hex')}`));
  receiver.on('pong', (data: Buffer) => log.push(options.isServer ? 'pong' : `pong ${data.toString('hex')}`));
  receiver.on('conclude', (code: number, reason: Buffer) => {
    log.push(`close ${code} ${reason.toString('utf8')}`);
    done = true;
  });
  const push = (chunk: Buffer) => {
    if (done) return;
    // A copy: a server-side reader unmasks in place.
    receiver._write(Buffer.from(chunk), 'buffer', (err) => {
      if (!err) return;
      log.push(`fail ${statusCodeOf(err)} ${err.message}`);
      done = true;
    });
  };
  return { log, push };
}

/** `ws`'s server-side Receiver over the chunks, with the server's limits: the reference. */
export function wsReads(chunks: readonly Buffer[], maxPayload: number, maxFragments: number): ReadLog {
  const reader = wsReader({ isServer: true, maxPayload, maxFragments });
  for (const chunk of chunks) reader.push(chunk);
  return reader.log;
}
