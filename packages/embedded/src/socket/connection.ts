/** One client connection's Pusher state, over its WebSocket link (socket/websocket-link.ts). */
import type { Writable } from 'node:stream';
import { encodeProtocolMessage, type JsonValue, type ProtocolMessage } from '../protocol/codec.js';
import { PUSHER_ERRORS } from '../protocol/codes.js';
import { TextFrame } from '../protocol/frame.js';
import type { Subscriber } from '../state/registry.js';
import type { CorkableWire, TurnWriter, WriteTurns } from './write-turns.js';

export const CLIENT_EVENTS_PER_SECOND = 10;
const OPEN = 1;
/** After a 4100 close, how long the client has to read up to the close frame before its TCP socket is destroyed. */
export const OVER_CAPACITY_GRACE_MS = 1000;

/** What every connection of a server shares: nothing per socket beyond what it must hold. */
export interface ConnectionPolicy {
  /** Counts outbound messages. */
  readonly countOut: (frames: number) => void;
  /** Unsent bytes on the TCP socket past which the connection is closed with 4100; 0 = no cap. */
  readonly maxBufferedBytes: number;
  /** Told once, when the connection is closed for reading too slowly. */
  readonly onOverCapacity: (connection: Connection, bufferedBytes: number) => void;
  /** Coalesces a socket's writes within a turn of the event loop. */
  readonly writeTurns: WriteTurns;
}

/** The part of its WebSocket link a connection uses. */
interface SocketLike {
  readonly readyState: number;
  close(code: number, reason: string): void;
}

export interface SignedInUser {
  readonly id: string;
  readonly userInfo?: JsonValue;
}

/** A rolling-window limit: at most `limit` accepted events in any `windowMs`. Refusals do not count. */
export class RollingRateLimit {
  private readonly accepted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records and returns true when under the limit at `nowMs`; returns false (recording nothing) otherwise. */
  tryAccept(nowMs: number): boolean {
    while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= nowMs - this.windowMs) this.accepted.shift();
    if (this.accepted.length >= this.limit) return false;
    this.accepted.push(nowMs);
    return true;
  }
}

export class Connection implements Subscriber, TurnWriter {
  /** Made on the first client event: most connections never send one. */
  private clientEventLimit: RollingRateLimit | undefined;
  user: SignedInUser | undefined;
  lastSeenMs: number;
  /** Set while a server `pusher:ping` awaits an answer. */
  pingSentAtMs: number | undefined;
  /** The earliest expiry of the credentials anything on this connection was granted with (ms since epoch). */
  expiresAtMs: number | undefined;
  lastWriteTurn = 0;
  corkedBytes = 0;
  private closing = false;

  constructor(
    readonly socketId: string,
    private readonly socket: SocketLike,
    /** The TCP socket under `socket`: framed messages are written to it directly, and the link writes its control frames to it too. */
    private readonly wire: CorkableWire & Pick<Writable, 'writable' | 'writableLength' | 'destroy'>,
    nowMs: number,
    private readonly policy: ConnectionPolicy,
    /** The address the connection counts against for the per-IP cap. */
    readonly clientIp: string,
  ) {
    this.lastSeenMs = nowMs;
  }

  /** Counts a client event against the connection's limit; false when over it. */
  tryClientEvent(nowMs: number): boolean {
    this.clientEventLimit ??= new RollingRateLimit(CLIENT_EVENTS_PER_SECOND, 1000);
    return this.clientEventLimit.tryAccept(nowMs);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /**
   * Writes an already framed message (the same bytes may go to many sockets) to the TCP socket.
   * Only while the link is open: once it has sent or received a close frame, or the socket
   * ended, nothing more is written. A client that has left
   * more than the cap unread is closed instead (4100), so it holds at most the cap plus one frame.
   */
  send(frame: TextFrame): boolean {
    if (this.closing || this.socket.readyState !== OPEN || !this.wire.writable) return false;
    const buffered = this.wire.writableLength;
    if (this.policy.maxBufferedBytes > 0 && buffered > this.policy.maxBufferedBytes) {
      this.closeOverCapacity(buffered);
      return false;
    }
    this.policy.writeTurns.write(this, this.wire, frame.wire);
    return true;
  }

  deliver(message: ProtocolMessage): void {
    this.deliverText(encodeProtocolMessage(message));
  }

  /** A message already encoded for this client alone. */
  deliverText(text: string): void {
    if (this.send(TextFrame.of(text))) this.policy.countOut(1);
  }

  /** Keeps the earliest expiry: credentials granted later never extend what earlier ones allowed. */
  expireAt(ms: number): void {
    if (this.expiresAtMs === undefined || ms < this.expiresAtMs) this.expiresAtMs = ms;
  }

  /** Any inbound traffic proves the client alive. */
  touch(nowMs: number): void {
    this.lastSeenMs = nowMs;
    this.pingSentAtMs = undefined;
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason);
  }

  private closeOverCapacity(bufferedBytes: number): void {
    this.close(PUSHER_ERRORS.over_capacity.code, PUSHER_ERRORS.over_capacity.meaning);
    // The close frame waits behind everything the client has not read, so it may never get there.
    setTimeout(() => this.wire.destroy(), OVER_CAPACITY_GRACE_MS).unref();
    this.policy.onOverCapacity(this, bufferedBytes);
  }
}
