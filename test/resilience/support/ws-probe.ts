/**
 * A raw protocol-7 client that records every frame, for fault and fuzz tests: frames arrive in an
 * Inbox, the close code in a promise, and `sync()` proves everything sent before it was handled.
 */
import WebSocket from 'ws';
import { withTimeout } from '../../helpers/wait.js';

export interface Frame {
  readonly event: string;
  readonly channel?: string;
  readonly data?: unknown;
  readonly raw: string;
}

const TIMEOUT_MS = 5000;

function parseFrame(raw: string): Frame {
  const parsed = JSON.parse(raw) as { event: string; channel?: string; data?: unknown };
  return { ...parsed, raw };
}

export class WsProbe {
  /** Every frame received so far, in order. */
  readonly frames: Frame[] = [];
  private readonly listeners = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Frames that were not JSON objects with a string `event` (a protocol violation by the server). */
  readonly malformed: string[] = [];
  socketId = '';
  private syncs = 0;

  private constructor(
    readonly socket: WebSocket,
    answerPings: boolean,
  ) {
    socket.on('message', (data: Buffer) => {
      const raw = data.toString('utf8');
      let frame: Frame;
      try {
        frame = parseFrame(raw);
      } catch {
        this.malformed.push(raw);
        return;
      }
      if (typeof frame.event !== 'string') this.malformed.push(raw);
      if (answerPings && frame.event === 'pusher:ping') this.send({ event: 'pusher:pong', data: {} });
      this.frames.push(frame);
      for (const listener of [...this.listeners]) listener();
    });
    socket.on('error', () => undefined); // the close promise reports what happened
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Connects to `/app/<key>?protocol=7` and waits for the handshake. */
  static async connect(baseUrl: string, key: string, options: { answerPings?: boolean } = {}): Promise<WsProbe> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/app/${key}?protocol=7&client=js&version=8.6.0`);
    const probe = new WsProbe(socket, options.answerPings ?? true);
    const handshake = await probe.waitFor((f) => f.event === 'pusher:connection_established', 'the handshake');
    probe.socketId = (JSON.parse(handshake.data as string) as { socket_id: string }).socket_id;
    return probe;
  }

  send(message: unknown): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (Buffer.isBuffer(message)) this.socket.send(message, { binary: true });
    else this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first frame (from the start) matching `predicate`, waiting for it if needed. */
  async waitFor(predicate: (frame: Frame) => boolean, what: string, timeoutMs = TIMEOUT_MS): Promise<Frame> {
    let from = 0;
    let listener: (() => void) | undefined;
    const found = new Promise<Frame>((resolve) => {
      const look = (): void => {
        for (; from < this.frames.length; from += 1) {
          const frame = this.frames[from] as Frame;
          if (predicate(frame)) return resolve(frame);
        }
      };
      listener = look;
      this.listeners.add(look);
      look();
    });
    try {
      return await withTimeout(found, timeoutMs, what);
    } finally {
      if (listener) this.listeners.delete(listener);
    }
  }

  /** A pusher:ping round trip: every frame the server sent before its pong has arrived. */
  async sync(timeoutMs = TIMEOUT_MS): Promise<void> {
    this.syncs += 1;
    const pongsBefore = this.frames.filter((f) => f.event === 'pusher:pong').length;
    this.send({ event: 'pusher:ping', data: {} });
    let seen = 0;
    await this.waitFor((f) => f.event === 'pusher:pong' && ++seen > pongsBefore, `pong #${this.syncs}`, timeoutMs);
  }

  /**
   * Like `sync()`, but immune to pongs the test itself provoked: subscribes to a fresh public
   * channel and waits for the answer, which comes after everything sent before it was handled.
   */
  async barrier(timeoutMs = TIMEOUT_MS): Promise<void> {
    this.syncs += 1;
    const channel = `barrier-${this.syncs}`;
    this.send({ event: 'pusher:subscribe', data: { channel } });
    await this.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === channel, channel, timeoutMs);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close(1000);
    return withTimeout(this.closed, TIMEOUT_MS, 'the close handshake');
  }
}
