/**
 * A server-to-client text message framed once (RFC 6455 5.2: FIN, opcode 1, unmasked) into one
 * buffer, so a publish to a thousand sockets encodes and frames once and each socket gets one
 * `write` of the same bytes, rather than `ws` building a header per socket and writing two chunks.
 *
 * Writing these bytes straight to a socket beside `ws` is sound only while `ws`'s own sender
 * writes synchronously in call order: the server runs with permessage-deflate off (no compressed
 * frames, no deflate queue) and never sends Blobs (the other thing `ws` queues), so nothing of
 * ours can overtake or split a frame `ws` has started (see `Connection.send`).
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
