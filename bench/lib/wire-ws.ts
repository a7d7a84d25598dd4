/**
 * The least a WebSocket client can do, for the storm's load generator: the opening handshake on a
 * raw TCP socket, server frames cut out of the byte stream (text and close; pings answered), and
 * masked client text frames. Each client's CPU is spent on the servers' behalf, so it keeps no
 * per-frame objects beyond the payload's bytes. It checks what it must to fail loudly (a 101, a
 * frame it cannot read), not what a browser would (Sec-WebSocket-Accept, UTF-8).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface WireSocketEvents {
  /** Each text frame's payload, as bytes. */
  readonly onText: (payload: Buffer) => void;
  /** The server's close code, or 1006 when the TCP connection ended without one. */
  readonly onClose: (code: number) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const NO_STATUS = 1005;
const ABNORMAL = 1006;
const CLOSE_TIMEOUT_MS = 5000;

export class WireSocket {
  private pending: Buffer = Buffer.alloc(0);
  private upgraded = false;
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly events: WireSocketEvents,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.ended(ABNORMAL));
  }

  /** `url` is ws://host:port/path. */
  static open(url: URL, events: WireSocketEvents): WireSocket {
    const socket = net.connect({ port: Number(url.port), host: url.hostname, noDelay: true });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    return new WireSocket(socket, events);
  }

  sendText(text: string): void {
    if (this.closed) return;
    this.socket.write(clientFrame(OPCODE_TEXT, Buffer.from(text)));
  }

  /** Sends a close frame (1000) and ends the TCP connection after it; destroys it if still open 5 s later. */
  close(): void {
    setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS).unref();
    if (this.closed) return;
    this.socket.end(clientFrame(OPCODE_CLOSE, Buffer.from([0x03, 0xe8])));
  }

  terminate(): void {
    this.socket.destroy();
  }

  /** Resolves once the TCP connection is gone. */
  get gone(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.upgraded && !this.readHandshake()) return;
    while (!this.closed && this.readFrame());
  }

  private readHandshake(): boolean {
    const end = this.pending.indexOf(HEADER_END);
    if (end === -1) return false;
    if (!this.pending.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) {
      this.ended(ABNORMAL);
      this.socket.destroy();
      return false;
    }
    this.upgraded = true;
    this.pending = this.pending.subarray(end + HEADER_END.length);
    return true;
  }

  /** Cuts one frame off the front of what was read; false when a whole frame is not there yet. */
  private readFrame(): boolean {
    const bytes = this.pending;
    if (bytes.length < 2) return false;
    const opcode = (bytes[0] ?? 0) & 0x0f;
    const short = (bytes[1] ?? 0) & 0x7f;
    const headerLength = short < 126 ? 2 : short === 126 ? 4 : 10;
    if (bytes.length < headerLength) return false;
    const length = short < 126 ? short : short === 126 ? bytes.readUInt16BE(2) : Number(bytes.readBigUInt64BE(2));
    if (bytes.length < headerLength + length) return false;
    const payload = bytes.subarray(headerLength, headerLength + length);
    this.pending = bytes.subarray(headerLength + length);
    if (opcode === OPCODE_TEXT) this.events.onText(payload);
    else if (opcode === OPCODE_PING) this.socket.write(clientFrame(OPCODE_PONG, payload));
    else if (opcode === OPCODE_CLOSE) {
      this.ended(payload.length >= 2 ? payload.readUInt16BE(0) : NO_STATUS);
      this.socket.end(clientFrame(OPCODE_CLOSE, payload.subarray(0, 2)));
    }
    return true;
  }

  private ended(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onClose(code);
  }
}

/** A client frame: FIN, the opcode, masked with a zero key (the server unmasks any key; this one leaves the payload as is). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, 2 + lengthBytes + 4);
  return frame;
}
