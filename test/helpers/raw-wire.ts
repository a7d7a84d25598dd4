/**
 * A WebSocket client on a bare TCP socket, for what no WebSocket library will send: handshakes
 * with wrong headers, frames that break the rules, bytes in the handshake's own packet. What the
 * server sends back is read by `ws`'s client-side Receiver into a log (test/helpers/ws-frames.ts).
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Inbox, withTimeout } from './wait.js';
import { wsReader } from './ws-frames.js';

/** The RFC 6455 sample key and its accept value (RFC 6455 1.3). */
export const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const SAMPLE_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

export const UPGRADE_HEADERS: Readonly<Record<string, string>> = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Key': SAMPLE_KEY,
  'Sec-WebSocket-Version': '13',
};

export class RawWire {
  /** The HTTP answer's head (status line and headers), once it arrived. */
  head = '';
  /** The HTTP answer's body when it was not a 101. */
  body = '';
  /** What the server sent after the 101, one line per frame (the format of `wsReader`). */
  readonly frames = new Inbox<string>();
  /** Resolves when the TCP socket closed. */
  readonly ended: Promise<void>;
  private readonly headArrived: Promise<void>;
  private readonly reader = wsReader({ isServer: false });

  private constructor(readonly socket: Socket) {
    this.ended = once(socket, 'close').then(() => undefined);
    this.headArrived = once(socket, 'head').then(() => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (this.head !== '') return this.take(chunk);
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.head = pending.subarray(0, end).toString('latin1');
      socket.emit('head');
      this.take(pending.subarray(end + 4));
    });
    socket.on('error', () => {});
  }

  /** Bytes after the head: frames after a 101, the body otherwise. */
  private take(bytes: Buffer): void {
    if (!this.head.startsWith('HTTP/1.1 101')) return void (this.body += bytes.toString('utf8'));
    const before = this.reader.log.length;
    this.reader.push(bytes);
    for (const line of this.reader.log.slice(before)) this.frames.push(line);
  }

  /** Sends the upgrade request for `path` (with `extra` bytes in the same write) and waits for the answer's head. */
  static async open(port: number, path: string, options: { method?: string; headers?: Record<string, string>; extra?: Buffer } = {}): Promise<RawWire> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const wire = new RawWire(socket);
    const headers = { Host: `127.0.0.1:${port}`, ...(options.headers ?? UPGRADE_HEADERS) };
    const request = [`${options.method ?? 'GET'} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(request, 'latin1'), options.extra ?? Buffer.alloc(0)]));
    await withTimeout(wire.headArrived, 5000, 'the answer to the upgrade');
    return wire;
  }

  get status(): number {
    return Number(this.head.split(' ')[1]);
  }

  header(name: string): string | undefined {
    const line = this.head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The `index`-th frame the server sent (0-based), once it arrived. */
  frame(index: number): Promise<string> {
    return this.frames.at(index, 5000, `frame #${index} from the server`);
  }
}
