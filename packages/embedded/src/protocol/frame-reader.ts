/**
 * Reads what a client sends on a WebSocket (RFC 6455 5): masked frames with 7-, 16- and 64-bit
 * lengths, messages in fragments, ping, pong and close. It answers what `ws`'s receiver answers
 * for the same bytes (its close codes, its checks in its order; test/frame-reader.test.ts feeds
 * both the same streams), and keeps nothing between frames but the bytes of one unfinished frame
 * and the fragments of one unfinished message, so an idle connection costs one small object.
 */
import { isUtf8 } from 'node:buffer';

/** What the reader found, told to the connection it reads for. */
export interface FrameSink {
  /** A whole message (fragments joined); text is valid UTF-8. */
  message(data: Buffer, binary: boolean): void;
  ping(payload: Buffer): void;
  pong(): void;
  /** The client's close frame: `code` undefined when it carried none (1005); the reader stops. */
  closeFrame(code: number | undefined, reason: string): void;
  /** The client broke the protocol: close with `code`; the reader stops. */
  fail(code: number, reason: string): void;
}

export interface FrameLimits {
  /** A message (all its fragments) longer than this closes the connection with 1009; 0 = no limit. */
  readonly maxPayload: number;
}

const CLOSE_CODES = { protocolError: 1002, invalidData: 1007, tooManyParts: 1008, tooBig: 1009 } as const;

/** More fragments in one message close with 1008 (`ws` allows 16,384; a 32 KB message needs far fewer). */
export const MAX_FRAGMENTS = 1024;
/** Past this many chunks of an unfinished frame, they are joined, so a client trickling bytes holds few objects. */
const MAX_PENDING_CHUNKS = 64;
const OP_CONTINUATION = 0x0;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const MAX_CONTROL_PAYLOAD = 125;
/** The high 32 bits of a 64-bit length may not pass 2^53 - 1 (what `ws` reads as a number). */
const MAX_HIGH_WORD = 2 ** 21 - 1;
const EMPTY = Buffer.alloc(0);

/** Close codes a peer may send (RFC 6455 7.4; 1004-1006 are reserved, 1015 is never sent). */
function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

interface Header {
  readonly fin: boolean;
  readonly opcode: number;
  readonly headerLength: number;
  readonly payloadLength: number;
}

class ProtocolFailure {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {}
}

/** A frame that breaks a rule, worded as `ws` words it. */
function invalidFrame(code: number, rule: string): ProtocolFailure {
  return new ProtocolFailure(code, `Invalid WebSocket frame: ${rule}`);
}

export class FrameReader {
  /** Bytes of a frame not yet whole (undefined between frames). */
  private pending: Buffer[] | undefined;
  private pendingBytes = 0;
  /** Bytes needed before the next attempt: 2 for a header's start, then the header, then the frame. */
  private needed = 2;
  /** The opcode of the message whose fragments are arriving (0 when none). */
  private fragmentedOpcode = 0;
  private fragments: Buffer[] | undefined;
  private messageBytes = 0;
  private fragmentCount = 0;
  private stopped = false;

  /** Reads a chunk from the socket; frames completed by it are told to `sink` in order. */
  push(chunk: Buffer, sink: FrameSink, limits: FrameLimits): void {
    if (this.stopped) return;
    this.pendingBytes += chunk.length;
    if (this.pending === undefined) this.pending = [chunk];
    else if (this.pending.push(chunk) > MAX_PENDING_CHUNKS) this.pending = [Buffer.concat(this.pending)];
    if (this.pendingBytes < this.needed) return;
    const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = undefined;
    this.pendingBytes = 0;
    try {
      this.readFrames(bytes, sink, limits);
    } catch (err) {
      if (!(err instanceof ProtocolFailure)) throw err;
      this.stop();
      sink.fail(err.code, err.reason);
    }
  }

  private stop(): void {
    this.stopped = true;
    this.pending = undefined;
    this.fragments = undefined;
  }

  private readFrames(bytes: Buffer, sink: FrameSink, limits: FrameLimits): void {
    let offset = 0;
    while (!this.stopped) {
      const header = this.readHeader(bytes, offset, limits);
      const frameLength = header === undefined ? 0 : header.headerLength + 4 + header.payloadLength;
      if (header === undefined || bytes.length - offset < frameLength) {
        this.needed = header === undefined ? headerLengthAt(bytes, offset) : frameLength;
        if (offset < bytes.length) {
          this.pending = [bytes.subarray(offset)];
          this.pendingBytes = bytes.length - offset;
        }
        return;
      }
      const maskAt = offset + header.headerLength;
      const payload = unmask(bytes.subarray(maskAt + 4, maskAt + 4 + header.payloadLength), bytes, maskAt);
      offset += frameLength;
      this.dispatch(header, payload, sink);
    }
  }

  /** The frame's header, checked as `ws` checks it, or undefined while its bytes are not all there. */
  private readHeader(bytes: Buffer, offset: number, limits: FrameLimits): Header | undefined {
    if (bytes.length - offset < 2) return undefined;
    const first = bytes[offset] as number;
    const second = bytes[offset + 1] as number;
    if ((first & 0x30) !== 0) throw invalidFrame(CLOSE_CODES.protocolError, 'RSV2 and RSV3 must be clear');
    if ((first & 0x40) !== 0) throw invalidFrame(CLOSE_CODES.protocolError, 'RSV1 must be clear');
    const fin = (first & 0x80) !== 0;
    const opcode = this.checkOpcode(first & 0x0f, fin, second & 0x7f);
    if ((second & 0x80) === 0) throw invalidFrame(CLOSE_CODES.protocolError, 'MASK must be set');
    const headerLength = headerLengthAt(bytes, offset);
    if (bytes.length - offset < headerLength) return undefined;
    let payloadLength = second & 0x7f;
    if (payloadLength === 126) payloadLength = bytes.readUInt16BE(offset + 2);
    else if (payloadLength === 127) {
      const high = bytes.readUInt32BE(offset + 2);
      if (high > MAX_HIGH_WORD) throw new ProtocolFailure(CLOSE_CODES.tooBig, 'Unsupported WebSocket frame: payload length > 2^53 - 1');
      payloadLength = high * 2 ** 32 + bytes.readUInt32BE(offset + 6);
    }
    if (opcode < OP_CLOSE && payloadLength > 0 && limits.maxPayload > 0 && this.messageBytes + payloadLength > limits.maxPayload) {
      throw new ProtocolFailure(CLOSE_CODES.tooBig, 'Max payload size exceeded');
    }
    return { fin, opcode, headerLength, payloadLength };
  }

  /** The opcode the frame counts as (a continuation counts as its message's), or a protocol failure. */
  private checkOpcode(opcode: number, fin: boolean, length7: number): number {
    if (opcode === OP_CONTINUATION) {
      if (this.fragmentedOpcode === 0) throw invalidFrame(CLOSE_CODES.protocolError, 'invalid opcode 0');
      return opcode;
    }
    if (opcode === 0x1 || opcode === OP_BINARY) {
      if (this.fragmentedOpcode !== 0) throw invalidFrame(CLOSE_CODES.protocolError, `invalid opcode ${opcode}`);
      return opcode;
    }
    if (opcode < OP_CLOSE || opcode > 0xa) throw invalidFrame(CLOSE_CODES.protocolError, `invalid opcode ${opcode}`);
    if (!fin) throw invalidFrame(CLOSE_CODES.protocolError, 'FIN must be set');
    if (length7 > MAX_CONTROL_PAYLOAD || (opcode === OP_CLOSE && length7 === 1)) {
      throw invalidFrame(CLOSE_CODES.protocolError, `invalid payload length ${length7}`);
    }
    return opcode;
  }

  private dispatch(header: Header, payload: Buffer, sink: FrameSink): void {
    if (header.opcode >= OP_CLOSE) return this.control(header.opcode, payload, sink);
    if (header.opcode !== OP_CONTINUATION && !header.fin) this.fragmentedOpcode = header.opcode;
    const opcode = header.opcode === OP_CONTINUATION ? this.fragmentedOpcode : header.opcode;
    if (++this.fragmentCount > MAX_FRAGMENTS) throw new ProtocolFailure(CLOSE_CODES.tooManyParts, 'Too many message fragments');
    this.messageBytes += payload.length;
    if (payload.length > 0) (this.fragments ??= []).push(payload);
    if (!header.fin) return;
    const data = this.fragments === undefined ? EMPTY : this.fragments.length === 1 ? (this.fragments[0] as Buffer) : Buffer.concat(this.fragments);
    this.fragments = undefined;
    this.fragmentedOpcode = 0;
    this.messageBytes = 0;
    this.fragmentCount = 0;
    const binary = opcode === OP_BINARY;
    if (!binary && !isUtf8(data)) throw invalidFrame(CLOSE_CODES.invalidData, 'invalid UTF-8 sequence');
    sink.message(data, binary);
  }

  private control(opcode: number, payload: Buffer, sink: FrameSink): void {
    if (opcode === OP_PING) return sink.ping(payload);
    if (opcode !== OP_CLOSE) return sink.pong();
    if (payload.length === 0) {
      this.stop();
      return sink.closeFrame(undefined, '');
    }
    const code = payload.readUInt16BE(0);
    if (!isValidCloseCode(code)) throw invalidFrame(CLOSE_CODES.protocolError, `invalid status code ${code}`);
    const reason = payload.subarray(2);
    if (!isUtf8(reason)) throw invalidFrame(CLOSE_CODES.invalidData, 'invalid UTF-8 sequence');
    this.stop();
    sink.closeFrame(code, reason.toString('utf8'));
  }
}

/** The header's length (mask included) from its second byte; 2 while that byte has not arrived. */
function headerLengthAt(bytes: Buffer, offset: number): number {
  if (bytes.length - offset < 2) return 2;
  const length7 = (bytes[offset + 1] as number) & 0x7f;
  return length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
}

/** Unmasks `payload` in place with the 4-byte key at `bytes[maskAt]` (the client's bytes are ours to change). */
function unmask(payload: Buffer, bytes: Buffer, maskAt: number): Buffer {
  for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] as number) ^ (bytes[maskAt + (i & 3)] as number);
  return payload;
}
