/** Signed-in connections by user id: for `terminate_connections`. */
import type { Connection } from './connection.js';

export class UserIndex {
  private readonly byUser = new Map<string, Set<Connection>>();

  add(userId: string, connection: Connection): void {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(connection);
  }

  remove(userId: string, connection: Connection): void {
    const set = this.byUser.get(userId);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) this.byUser.delete(userId);
  }

  /** A copy, so callers may close connections while iterating. */
  connectionsOf(userId: string): Connection[] {
    return [...(this.byUser.get(userId) ?? [])];
  }
}
