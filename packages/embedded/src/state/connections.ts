/** The open connections, by socket id and by client address, and the caps on both. */

interface Caps {
  /** Connections in total; 0 = no cap. */
  readonly total: number;
  /** Connections from one client address; 0 = no cap. */
  readonly perIp: number;
}

interface Counted {
  readonly socketId: string;
  readonly clientIp: string;
}

export class ConnectionTable<C extends Counted> {
  private readonly bySocket = new Map<string, C>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly caps: Caps) {}

  get size(): number {
    return this.bySocket.size;
  }

  has(socketId: string): boolean {
    return this.bySocket.has(socketId);
  }

  get(socketId: string): C | undefined {
    return this.bySocket.get(socketId);
  }

  /** A copy, so callers may drop connections while iterating. */
  all(): C[] {
    return [...this.bySocket.values()];
  }

  /** Why one more connection from `clientIp` would go over a cap, if it would. */
  capReached(clientIp: string): string | undefined {
    if (this.caps.total > 0 && this.bySocket.size >= this.caps.total) return `at most ${this.caps.total} connections in total`;
    if (this.caps.perIp > 0 && this.countFrom(clientIp) >= this.caps.perIp) return `at most ${this.caps.perIp} connections from one address`;
    return undefined;
  }

  countFrom(clientIp: string): number {
    return this.perIp.get(clientIp) ?? 0;
  }

  add(connection: C): void {
    this.bySocket.set(connection.socketId, connection);
    this.perIp.set(connection.clientIp, this.countFrom(connection.clientIp) + 1);
  }

  /** Returns false when the connection was already removed, so forgetting it twice is harmless. */
  remove(connection: C): boolean {
    if (this.bySocket.get(connection.socketId) !== connection) return false;
    this.bySocket.delete(connection.socketId);
    const left = this.countFrom(connection.clientIp) - 1;
    if (left > 0) this.perIp.set(connection.clientIp, left);
    else this.perIp.delete(connection.clientIp);
    return true;
  }
}
