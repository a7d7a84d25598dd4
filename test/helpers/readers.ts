/**
 * Shared test helper: the embedded server on a plain HTTP server whose TCP sockets the test can
 * see (how many bytes each holds unsent), clients that read at a chosen speed, and a publisher
 * that pushes numbered events of about 10 KB through the HTTP API with the `pusher` SDK. The app
 * is READER_APP: give the standalone server its credentials to use the readers there.
 *
 *   const server = await startWatchedPusher({ maxBufferedBytes: 64 * 1024 });
 *   const healthy = await Reader.join(server, 'news', 'healthy');
 *   const paused = await Reader.join(server, 'news', 'paused');   // reads nothing from now on
 *   await server.publish('news', 0, 10);                            // events 0..9, one batch
 *   await healthy.waitForEvents(10);
 *   server.wireOf(paused).writableLength                            // what the server holds for it
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Pusher from 'pusher';
import type WebSocket from 'ws';
import { authString, channelStringToSign } from '@pusher-auth-server/pusher-core';
import { createPusherServer, type PusherServer, type PusherServerOptions } from '@pusher-auth-server/embedded';
import { RawClient } from '../../conformance/raw-client.js';
import { withTimeout } from './wait.js';

export const READER_APP = { appId: 'readers', key: 'readers-key', secret: 'readers-secret' } as const;
export const EVENT = 'bulk';
/** Bytes of `data` per event: under the 10,240-byte limit with its JSON envelope. */
const PAD = 'x'.repeat(10_000);
/** A frame as the server writes it, header and envelope included, is at most this many bytes. */
export const MAX_EVENT_FRAME_BYTES = 10_240;

/** healthy reads everything; paused reads nothing once joined; trickle reads one byte every few ms. */
export type ReaderKind = 'healthy' | 'paused' | 'trickle';

export interface WatchedPusher {
  readonly embedded: PusherServer;
  readonly url: string;
  /** The server's side of a reader's TCP connection. */
  wireOf(reader: Reader): Socket;
  /** Events `from`..`from + count - 1` to `channel`, ten to a `batch_events` request. */
  publish(channel: string, from: number, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWatchedPusher(options: Partial<PusherServerOptions> = {}): Promise<WatchedPusher> {
  const embedded = createPusherServer({ ...READER_APP, ...options });
  const server = createServer();
  const wires = new Map<number, Socket>();
  server.on('connection', (socket: Socket) => socket.remotePort !== undefined && wires.set(socket.remotePort, socket));
  embedded.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    embedded,
    url,
    wireOf(reader) {
      const wire = wires.get(reader.tcp.localPort ?? -1);
      if (!wire) throw new Error('no server socket for this reader');
      return wire;
    },
    publish: eventPublisher(url),
    async close() {
      await embedded.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Publishes events `from`..`from + count - 1` to `channel` on the server at `url`, ten to a `batch_events` request. */
export function eventPublisher(url: string): WatchedPusher['publish'] {
  const { hostname, port } = new URL(url);
  const sdk = new Pusher({ ...READER_APP, host: hostname, port });
  return async (channel, from, count) => {
    for (let start = from; start < from + count; start += 10) {
      const seqs = Array.from({ length: Math.min(10, from + count - start) }, (_, i) => start + i);
      const res = await sdk.triggerBatch(seqs.map((seq) => ({ channel, name: EVENT, data: JSON.stringify({ seq, pad: PAD }) })));
      if (res.status !== 200) throw new Error(`batch_events answered ${res.status}`);
    }
  };
}

export class Reader {
  /** Events received, and how many came out of order (must stay 0). */
  events = 0;
  outOfOrder = 0;
  /** `pusher_internal:member_removed` frames received (presence). */
  membersRemoved = 0;
  /** The close code the client saw. */
  readonly closed: Promise<number>;
  private lastSeq = -1;
  private pongs = 0;
  private trickle: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly kind: ReaderKind,
    readonly ws: WebSocket,
    readonly socketId: string,
  ) {
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer) => this.count(data));
  }

  /** Connects, joins `channel` (presence when `userId` is given), then reads as `kind` says. */
  static async join(server: Pick<WatchedPusher, 'url'>, channel: string, kind: ReaderKind, userId?: string): Promise<Reader> {
    const client = await RawClient.connect(server.url, READER_APP.key);
    const channelData = userId === undefined ? undefined : JSON.stringify({ user_id: userId });
    const auth = channelData === undefined ? undefined : authString(READER_APP, channelStringToSign(client.socketId, channel, channelData));
    client.send({ event: 'pusher:subscribe', data: { channel, ...(auth ? { auth, channel_data: channelData } : {}) } });
    await client.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === channel, `joining ${channel}`);
    const reader = new Reader(kind, client.detach(), client.socketId);
    if (kind !== 'healthy') reader.tcp.pause();
    if (kind === 'trickle') reader.trickle = setInterval(() => reader.tcp.read(1), 5);
    return reader;
  }

  /** The client's TCP socket (what a reader that stops reading stops reading). */
  get tcp(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  /** Reads everything from now on. */
  resume(): void {
    clearInterval(this.trickle);
    this.tcp.resume();
  }

  waitForEvents(count: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.events >= count, timeoutMs, `${count} events`);
  }

  /** A `pusher:ping` round trip: everything the server sent before its pong has been read. */
  sync(): Promise<void> {
    const before = this.pongs;
    this.ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
    return this.until(() => this.pongs > before, 10_000, 'pusher:pong');
  }

  /** Closes the client's side at once. */
  terminate(): void {
    clearInterval(this.trickle);
    this.ws.terminate();
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const arrived = new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
    return withTimeout(arrived, timeoutMs, `${what} (got ${this.events} events)`);
  }

  private count(data: Buffer): void {
    const frame = JSON.parse(data.toString('utf8')) as { event: string; data?: string };
    if (frame.event === 'pusher_internal:member_removed') this.membersRemoved += 1;
    if (frame.event === 'pusher:pong') this.pongs += 1;
    if (frame.event === EVENT) {
      const { seq } = JSON.parse(frame.data ?? '{}') as { seq: number };
      if (seq !== this.lastSeq + 1) this.outOfOrder += 1;
      this.lastSeq = seq;
      this.events += 1;
    }
    for (const check of [...this.waiters]) check();
  }
}
