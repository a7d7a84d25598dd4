/**
 * Coalesces what one socket is sent within a turn of the event loop. In a reconnect storm, every
 * member of a presence channel is sent a `member_added` for each member that joins, and many join
 * in the same turn; written one by one, each frame is a syscall (on loopback, the receiver's TCP
 * work too). So the first write to a socket in a turn goes out at once, as before (a publish to
 * many sockets writes each one once and pays nothing more), and a second write in the same turn
 * corks the socket; it is uncorked, one `writev` for all it holds, once the turn's I/O callbacks
 * have run (`setImmediate`), or at once when it holds `flushBytes`. Corking keeps the order of
 * everything written to the socket, the link's control frames included: they queue behind ours in
 * the same stream buffer.
 */
import type { Writable } from 'node:stream';

export type CorkableWire = Pick<Writable, 'write' | 'cork' | 'uncork' | 'writableCorked'>;

/** Past this many corked bytes a socket is flushed without waiting for the turn to end. */
export const FLUSH_BYTES = 16 * 1024;

/**
 * Never more than the slow-consumer cap: a socket that keeps up then never looks slow for what
 * the cork holds, and a slow one still holds at most the cap plus one frame.
 */
export function flushBytesFor(maxBufferedBytes: number): number {
  return maxBufferedBytes > 0 ? Math.min(FLUSH_BYTES, maxBufferedBytes) : FLUSH_BYTES;
}

/** What a writer keeps for the turns. */
export interface TurnWriter {
  /** The turn it last wrote in. */
  lastWriteTurn: number;
  /** Bytes held by the cork, not yet given to the socket. */
  corkedBytes: number;
}

export class WriteTurns {
  constructor(private readonly flushBytes: number) {}

  private turn = 1;
  private turnEndScheduled = false;
  private corked: Array<[TurnWriter, CorkableWire]> = [];
  private readonly endTurn = () => {
    this.turnEndScheduled = false;
    this.turn += 1;
    const corked = this.corked;
    this.corked = [];
    for (const [writer, wire] of corked) flush(writer, wire);
  };

  write(writer: TurnWriter, wire: CorkableWire, bytes: Buffer): void {
    if (writer.lastWriteTurn !== this.turn) {
      writer.lastWriteTurn = this.turn;
      if (!this.turnEndScheduled) {
        this.turnEndScheduled = true;
        setImmediate(this.endTurn);
      }
      return void wire.write(bytes);
    }
    if (wire.writableCorked === 0) {
      wire.cork();
      this.corked.push([writer, wire]);
    }
    wire.write(bytes);
    writer.corkedBytes += bytes.length;
    if (writer.corkedBytes >= this.flushBytes) flush(writer, wire);
  }
}

function flush(writer: TurnWriter, wire: CorkableWire): void {
  writer.corkedBytes = 0;
  while (wire.writableCorked > 0) wire.uncork();
}
