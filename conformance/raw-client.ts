/**
 * The one bare protocol-7 WebSocket client, for what pusher-js hides (exact frames, close codes).
 * The conformance kit, the tests and the bench all use it; it lives here because the kit is
 * portable (it runs against foreign servers) and must not depend on test/ or bench/.
 *
 * Every frame is kept in order in `frames`. Two ways to read them: `next*()` take frames one by
 * one (exact-frame assertions), `waitFor()` searches the whole log without taking. Every wait has
 * a deadline and fails at once when the socket closes.
 */
import WebSocket, { type ClientOptions } from 'ws';
import { CheckFailure, waitFor } from './wait.js';

export interface Frame {
  readonly event: string;
  readonly channel?: string;
  /** As sent: a JSON string for protocol frames (not decoded). */
  readonly data?: unknown;
  /** The exact text the server sent. */
  readonly raw: string;
}

export interface Closed {
  code: number;
  reason: string;
}

export interface RawClientOptions {
  /** The deadline of every wait; 5000 ms unless given. */
  timeoutMs?: number;
  /** Answer the server's `pusher:ping` with `pusher:pong`, as pusher-js does; off unless given. */
  answerPings?: boolean;
  /** Passed to `ws` (the bench turns permessage-deflate off). */
  socket?: ClientOptions;
}

/** The path pusher-js opens for an app key. */
export function appPath(key: string): string {
  return `/app/${encodeURIComponent(key)}?protocol=7&client=js&version=8.6.0&flash=false`;
}

const PING = { event: 'pusher:ping', data: {} };
const PONG = { event: 'pusher:pong', data: {} };
/** How many recent frames a failed wait reports. */
const SHOWN_FRAMES = 5;

function parseFrame(raw: string): Frame | undefined {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { event?: unknown }).event !== 'string') return undefined;
    return { ...(parsed as Omit<Frame, 'raw'>), raw };
  } catch {
    return undefined;
  }
}

export class RawClient {
  /** Every frame received, in order (the handshake first). */
  readonly frames: Frame[] = [];
  /** Frames that were not JSON objects with a string `event`: a protocol violation by the server. */
  readonly malformed: string[] = [];
  readonly closed: Promise<Closed>;
  /** Set by `connect()` from the handshake. */
  socketId = '';
  /** The last socket error, for failure reasons (errors end in a close, which `closed` reports). */
  lastError: Error | undefined;
  private closedWith: Closed | undefined;
  private taken = 0;
  private barriers = 0;
  private readonly listeners = new Set<() => void>();
  private readonly onMessage: (data: Buffer) => void;

  private constructor(
    readonly socket: WebSocket,
    readonly timeoutMs: number,
    answerPings: boolean,
  ) {
    this.onMessage = (data) => {
      const raw = data.toString('utf8');
      const frame = parseFrame(raw);
      if (!frame) this.malformed.push(raw);
      if (answerPings && frame?.event === 'pusher:ping') this.send(PONG);
      this.frames.push(frame ?? { event: '(malformed)', data: raw, raw });
      this.notify();
    };
    socket.on('message', this.onMessage);
    socket.on('error', (err) => {
      this.lastError = err;
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        this.notify();
      }),
    );
  }

  /** Opens a WebSocket on `url` (ws: or http: scheme alike), before any handshake. */
  static async open(url: string, options: RawClientOptions = {}): Promise<RawClient> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), options.socket);
    const client = new RawClient(socket, options.timeoutMs ?? 5000, options.answerPings ?? false);
    try {
      await waitFor<void>('the WebSocket to open', client.timeoutMs, (resolve, reject) => {
        const onError = (err: Error): void => reject(new CheckFailure(`WebSocket error: ${err.message}`));
        socket.once('open', resolve);
        socket.once('error', onError);
        return () => {
          socket.off('open', resolve);
          socket.off('error', onError);
        };
      });
    } catch (err) {
      socket.terminate();
      throw err;
    }
    return client;
  }

  /** Opens the app's path on `baseUrl` and takes the handshake, which sets `socketId`. */
  static async connect(baseUrl: string, key: string, options: RawClientOptions = {}): Promise<RawClient> {
    const client = await RawClient.open(`${baseUrl}${appPath(key)}`, options);
    const handshake = await client.nextFrame('pusher:connection_established');
    if (handshake.event !== 'pusher:connection_established') throw new CheckFailure(`the first frame was ${handshake.raw}`);
    client.socketId = (JSON.parse(handshake.data as string) as { socket_id: string }).socket_id;
    return client;
  }

  /** Sends objects as JSON, strings as they are, Buffers as binary frames; nothing once closed. */
  send(message: unknown): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (Buffer.isBuffer(message)) this.socket.send(message, { binary: true });
    else this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the next frame not yet taken. */
  nextFrame(what = 'the next frame'): Promise<Frame> {
    return this.until(what, () => {
      const frame = this.frames[this.taken];
      if (frame) this.taken += 1;
      return frame;
    });
  }

  /** Takes the next frame, as the exact text sent by the server. */
  async next(what?: string): Promise<string> {
    return (await this.nextFrame(what)).raw;
  }

  /** Takes the next frame, parsed, with `data` decoded when it is a JSON string. */
  async nextJson(what?: string): Promise<{ event: string; channel?: string; data?: unknown; user_id?: string }> {
    const frame = JSON.parse(await this.next(what)) as { event: string; channel?: string; data?: unknown; user_id?: string };
    if (typeof frame.data === 'string') {
      try {
        frame.data = JSON.parse(frame.data) as unknown;
      } catch {
        // App and client event data need not be JSON: keep the string as it is.
      }
    }
    return frame;
  }

  /** The first frame of the whole log (taken or not) matching `predicate`, waiting for it if needed. */
  waitFor(predicate: (frame: Frame) => boolean, what: string): Promise<Frame> {
    let from = 0;
    return this.until(what, () => {
      for (; from < this.frames.length; from += 1) {
        const frame = this.frames[from] as Frame;
        if (predicate(frame)) return frame;
      }
      return undefined;
    });
  }

  /**
   * A `pusher:ping` round trip: every frame the server sent before its pong has arrived. Takes
   * those frames and the pong; returns the frames (exact text), so `[]` means nothing else came.
   */
  async sync(): Promise<string[]> {
    this.send(PING);
    const before: string[] = [];
    for (;;) {
      const frame = await this.nextFrame('pusher:pong');
      if (frame.event === 'pusher:pong') return before;
      before.push(frame.raw);
    }
  }

  /**
   * Like `sync()`, but immune to pongs the caller itself provoked, and takes nothing: subscribes to
   * a fresh public channel and waits for the answer, which comes after everything sent before it.
   */
  async barrier(): Promise<void> {
    this.barriers += 1;
    const channel = `barrier-${this.barriers}`;
    this.send({ event: 'pusher:subscribe', data: { channel } });
    await this.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === channel, channel);
  }

  /** Waits for the server to close the connection. */
  waitClosed(): Promise<Closed> {
    return this.until('the connection to close', () => this.closedWith, false);
  }

  /** A clean close handshake (1000 unless given), waited for. */
  close(code = 1000): Promise<Closed> {
    this.socket.close(code);
    return this.waitClosed();
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.socket.terminate();
  }

  /** Stops recording frames and hands the socket over, for a caller that reads frames itself (the bench). */
  detach(): WebSocket {
    this.socket.off('message', this.onMessage);
    return this.socket;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with what `look` finds, looking again on every frame; fails on the deadline or a close. */
  private async until<T>(what: string, look: () => T | undefined, failOnClose = true): Promise<T> {
    try {
      return await waitFor<T>(what, this.timeoutMs, (resolve, reject) => {
        const listener = (): void => {
          const found = look();
          if (found !== undefined) resolve(found);
          else if (failOnClose && this.closedWith) reject(new CheckFailure(`closed with ${this.closedWith.code} while waiting for ${what}`));
        };
        this.listeners.add(listener);
        listener();
        return () => this.listeners.delete(listener);
      });
    } catch (err) {
      const recent = this.frames.slice(-SHOWN_FRAMES).map((f) => f.raw);
      throw new CheckFailure(`${(err as Error).message} (last frames: ${JSON.stringify(recent)})`);
    }
  }
}
