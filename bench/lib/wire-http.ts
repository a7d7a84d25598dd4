/**
 * One keep-alive HTTP/1.1 connection on a raw TCP socket, for the storm's load generator: requests
 * go one after another (as a browser tab's single connection carries them), each written in one
 * piece; an answer is read by its Content-Length. What `node:http`'s client adds (an agent, header
 * objects, streams per message) is CPU the storm's clients would spend on the servers' behalf.
 */
import net from 'node:net';

export interface WireAnswer {
  readonly status: number;
  readonly body: string;
}

/** Why a request got no answer, short enough to count by. */
export class WireHttpError extends Error {}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

interface Waiting {
  readonly resolve: (answer: WireAnswer) => void;
  readonly reject: (err: WireHttpError) => void;
}

export class WireHttpConnection {
  private socket: net.Socket | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private queue: Array<{ readonly request: string; readonly waiting: Waiting }> = [];
  private current: Waiting | undefined;

  constructor(private readonly url: URL) {}

  /** POSTs `body` to `path` with `headers` (each `Name: value`); answers come in request order. */
  post(path: string, headers: readonly string[], body: string): Promise<WireAnswer> {
    const request =
      `POST ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\nConnection: keep-alive\r\n${headers.map((h) => `${h}\r\n`).join('')}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return new Promise((resolve, reject) => {
      this.queue.push({ request, waiting: { resolve, reject } });
      if (this.current === undefined) this.sendNext();
    });
  }

  destroy(): void {
    this.socket?.destroy();
  }

  private connect(): net.Socket {
    const socket = net.connect({ port: Number(this.url.port), host: this.url.hostname, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      this.socket = undefined;
      this.pending = Buffer.alloc(0);
      this.fail(new WireHttpError('connection closed'));
    });
    this.socket = socket;
    return socket;
  }

  private sendNext(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.current = next.waiting;
    (this.socket ?? this.connect()).write(next.request);
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(HEADER_END);
    if (end === -1) return;
    const head = this.pending.subarray(0, end).toString('latin1');
    const length = CONTENT_LENGTH.exec(head)?.[1];
    if (length === undefined) return this.fail(new WireHttpError('answer without Content-Length'));
    const bodyStart = end + HEADER_END.length;
    if (this.pending.length < bodyStart + Number(length)) return;
    const body = this.pending.subarray(bodyStart, bodyStart + Number(length)).toString('utf8');
    this.pending = this.pending.subarray(bodyStart + Number(length));
    const waiting = this.current;
    this.current = undefined;
    waiting?.resolve({ status: Number(head.slice(9, 12)), body });
    this.sendNext();
  }

  private fail(err: WireHttpError): void {
    const waiting = [this.current, ...this.queue.map((q) => q.waiting)];
    this.current = undefined;
    this.queue = [];
    for (const w of waiting) w?.reject(err);
    this.socket?.destroy();
  }
}
