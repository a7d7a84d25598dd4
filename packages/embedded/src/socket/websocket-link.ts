/**
 * A client's WebSocket on its TCP socket, after the 101: frames in through our `FrameReader`,
 * pongs and the close handshake out, with `ws`'s semantics (RFC 6455 7): a close frame is
 * answered with the same code, then the TCP socket is ended; after sending a close, the client
 * has `closeTimeoutMs` to answer before the socket is destroyed; a protocol error closes with its
 * code and reads nothing more. Messages go out elsewhere, framed once (protocol/frame.ts), straight
 * to the same socket. Every listener is shared by all links of a server (the link is found on the
 * socket), so an idle connection holds the socket, this object and its reader, and no closures.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { closeFrame, pongFrame } from '../protocol/frame.js';
import { FrameReader, type FrameLimits, type FrameSink } from '../protocol/frame-reader.js';

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** What every link of a server shares: limits, and where what it reads goes. */
export interface LinkEvents<Owner> extends FrameLimits {
  /** How long a client has to answer our close frame before its socket is destroyed. */
  readonly closeTimeoutMs: number;
  message(owner: Owner, data: Buffer, binary: boolean): void;
  pong(owner: Owner): void;
  /** The link stopped being open (a close frame either way, or the socket ended): nothing more is sent to it. */
  closing(link: WebSocketLink<Owner>): void;
  /** The TCP socket closed. */
  closed(link: WebSocketLink<Owner>): void;
  error(link: WebSocketLink<Owner>, err: Error): void;
}

/** The upgraded socket: a TCP (or TLS) socket, whose Nagle delay and idle timeout are turned off when it has them. */
export type LinkWire = Duplex & Partial<Pick<Socket, 'setNoDelay' | 'setTimeout'>>;

/**
 * Pongs answered since the socket last had nothing left to send (checked once per chunk read),
 * past which a client that pings without reading is dropped, as `ws` drops one with 60 pongs
 * whose writes have not completed (which includes 60 pings in one chunk).
 */
const MAX_PENDING_PONGS = 60;

const LINK = Symbol('websocket link');
type LinkedSocket = LinkWire & { [LINK]?: WebSocketLink<unknown> };

function onData(this: LinkedSocket, chunk: Buffer): void {
  this[LINK]?.receive(chunk);
}
function onEnd(this: LinkedSocket): void {
  this[LINK]?.ended();
}
function onClose(this: LinkedSocket): void {
  this[LINK]?.socketClosed();
}
function onError(this: LinkedSocket, err: Error): void {
  this[LINK]?.failed(err);
}

export class WebSocketLink<Owner> implements FrameSink {
  private state = OPEN;
  private closeSent = false;
  private closeReceived = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private pendingPongs = 0;
  private readonly reader = new FrameReader();
  /** Who the link's messages are for; set once the connection exists. */
  owner: Owner | undefined;

  constructor(
    readonly wire: LinkWire,
    private readonly events: LinkEvents<Owner>,
  ) {
    const socket = wire as LinkedSocket;
    socket[LINK] = this as WebSocketLink<unknown>;
    socket.setTimeout?.(0);
    socket.setNoDelay?.(true);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    socket.on('error', onError);
  }

  get readyState(): number {
    return this.state;
  }

  /** Sends a close frame (once) and waits for the client's, as `ws`'s `close` does. */
  close(code: number | undefined, reason = ''): void {
    if (this.state === CLOSED || this.closeSent) return;
    this.closeSent = true;
    this.toClosing();
    if (this.wire.writable) this.wire.write(closeFrame(code, reason));
    if (this.closeReceived) return void this.wire.end();
    this.closeTimer = setTimeout(() => this.wire.destroy(), this.events.closeTimeoutMs);
    this.closeTimer.unref();
  }

  /** Drops the TCP socket at once. */
  terminate(): void {
    this.wire.destroy();
  }

  receive(chunk: Buffer): void {
    if (this.pendingPongs > 0 && this.wire.writableLength === 0) this.pendingPongs = 0;
    this.reader.push(chunk, this, this.events);
  }

  message(data: Buffer, binary: boolean): void {
    if (this.owner !== undefined) this.events.message(this.owner, data, binary);
  }

  ping(payload: Buffer): void {
    if (this.state !== OPEN || !this.wire.writable) return;
    if (this.pendingPongs >= MAX_PENDING_PONGS) return this.terminate();
    this.pendingPongs += 1;
    this.wire.write(pongFrame(payload));
  }

  pong(): void {
    if (this.owner !== undefined) this.events.pong(this.owner);
  }

  closeFrame(code: number | undefined, reason: string): void {
    this.closeReceived = true;
    if (this.closeSent) {
      this.wire.end();
      return;
    }
    this.close(code, reason);
  }

  fail(code: number, reason: string): void {
    this.close(code);
    this.events.error(this, new Error(`websocket protocol error ${code}: ${reason}`));
  }

  ended(): void {
    this.toClosing();
    this.wire.end();
  }

  socketClosed(): void {
    clearTimeout(this.closeTimer);
    this.toClosing();
    this.state = CLOSED;
    this.events.closed(this);
  }

  failed(err: Error): void {
    this.events.error(this, err);
  }

  private toClosing(): void {
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    this.events.closing(this);
  }
}
