/**
 * What the server writes (RFC 6455 5.2, unmasked, FIN set): a text message framed once into one
 * buffer, so a publish to a thousand sockets encodes and frames once and each socket gets one
 * `write` of the same bytes; and the link's control frames (pong, close). No extension is ever
 * negotiated (socket/handshake.ts), so every frame is written whole, in call order.
 */
export class TextFrame {
  private constructor(
    /** The message, as the client reads it. */
    readonly text: string,
    /** The whole frame: header and UTF-8 payload. */
    readonly wire: Buffer,
  ) {}

  static of(text: string): TextFrame {
    const length = Buffer.byteLength(text);
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const wire = Buffer.allocUnsafe(headerLength + length);
    wire[0] = 0x81;
    if (length < 126) {
      wire[1] = length;
    } else if (length < 65_536) {
      wire[1] = 126;
      wire.writeUInt16BE(length, 2);
    } else {
      wire[1] = 127;
      wire.writeUInt32BE(0, 2); // frames here are far below 4 GB (32 KB at most in, 10 KB of data out)
      wire.writeUInt32BE(length, 6);
    }
    wire.write(text, headerLength, 'utf8');
    return new TextFrame(text, wire);
  }
}

const OP_CLOSE = 0x8;
const OP_PONG = 0xa;
/** A close frame's reason is at most 123 bytes (RFC 6455 5.5: 125 with the code). */
const MAX_CLOSE_REASON_BYTES = 123;

/** An unmasked control frame (FIN set); the payload is at most 125 bytes. */
function controlFrame(opcode: number, payload: Buffer): Buffer {
  const wire = Buffer.allocUnsafe(2 + payload.length);
  wire[0] = 0x80 | opcode;
  wire[1] = payload.length;
  payload.copy(wire, 2);
  return wire;
}

/** The answer to a ping: a pong with the ping's payload. */
export function pongFrame(pingPayload: Buffer): Buffer {
  return controlFrame(OP_PONG, pingPayload);
}

/** A close frame with `code` and `reason` (cut to 123 bytes), or none when `code` is undefined (1005). */
export function closeFrame(code: number | undefined, reason = ''): Buffer {
  if (code === undefined) return controlFrame(OP_CLOSE, Buffer.alloc(0));
  const text = Buffer.from(reason, 'utf8');
  let reasonBytes = Math.min(text.length, MAX_CLOSE_REASON_BYTES);
  while (reasonBytes > 0 && ((text[reasonBytes] ?? 0) & 0xc0) === 0x80) reasonBytes -= 1; // not inside a UTF-8 sequence
  const payload = Buffer.allocUnsafe(2 + reasonBytes);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2, 0, reasonBytes);
  return controlFrame(OP_CLOSE, payload);
}
