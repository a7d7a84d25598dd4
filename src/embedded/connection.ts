/** One client connection's state, kept in our own object rather than on the `ws` instance. */
import { encodeProtocolMessage, type JsonValue, type ProtocolMessage } from './codec.js';
import { RollingRateLimit } from './rate-limit.js';
import type { Subscriber } from './registry.js';

export const CLIENT_EVENTS_PER_SECOND = 10;
const OPEN = 1;

/** The part of a `ws` WebSocket a connection uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: Buffer | string, options: { binary: boolean }): void;
  close(code: number, reason: string): void;
}

export interface SignedInUser {
  readonly id: string;
  readonly userInfo?: JsonValue;
}

export class Connection implements Subscriber {
  /** Channels this socket joined, so closing it can leave them all. */
  readonly subscriptions = new Set<string>();
  readonly clientEventLimit = new RollingRateLimit(CLIENT_EVENTS_PER_SECOND, 1000);
  user: SignedInUser | undefined;
  lastSeenMs: number;
  /** Set while a server `pusher:ping` awaits an answer. */
  pingSentAtMs: number | undefined;
  private closing = false;

  constructor(
    readonly socketId: string,
    private readonly socket: SocketLike,
    nowMs: number,
    private readonly countOut: (frames: number) => void,
  ) {
    this.lastSeenMs = nowMs;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Sends an already encoded text frame (the same buffer may go to many sockets). */
  send(frame: Buffer | string): void {
    if (this.closing || this.socket.readyState !== OPEN) return;
    this.socket.send(frame, { binary: false });
  }

  deliver(message: ProtocolMessage): void {
    this.send(encodeProtocolMessage(message));
    this.countOut(1);
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
}
