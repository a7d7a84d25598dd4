/** The embedded server's state at a glance, for the console: counts and names, never a socket or secret. */
import type { EmbeddedContext } from '../context.js';
import type { JsonValue } from '../protocol/codec.js';

export interface EmbeddedSnapshot {
  readonly connections: number;
  /** Occupied channels by name, at most `SNAPSHOT_LIST_LIMIT`; `channelCount` is the full count. */
  readonly channels: ReadonlyArray<{
    readonly name: string;
    readonly subscribers: number;
    /** Presence channels only. */
    readonly members?: ReadonlyArray<{ readonly id: string; readonly info?: JsonValue }>;
  }>;
  readonly channelCount: number;
  /** Signed-in users (`pusher.signin()`) by id, at most `SNAPSHOT_LIST_LIMIT`; `userCount` is the full count. */
  readonly users: ReadonlyArray<{ readonly id: string; readonly connections: number }>;
  readonly userCount: number;
}

/** Keeps an answer small on a busy server; the counts stay exact. */
const SNAPSHOT_LIST_LIMIT = 500;

export function takeSnapshot(ctx: EmbeddedContext): EmbeddedSnapshot {
  const names = [...ctx.registry.channelNames()].sort();
  const channels = names.slice(0, SNAPSHOT_LIST_LIMIT).map((name) => {
    const roster = ctx.registry.roster(name)?.snapshot();
    const members = roster?.ids.map((id) => {
      const info = roster.hash[id];
      return info === null || info === undefined ? { id } : { id, info };
    });
    return { name, subscribers: ctx.registry.subscriptionCount(name), ...(members ? { members } : {}) };
  });
  const signedIn = new Map<string, number>();
  for (const connection of ctx.connections.all()) {
    if (connection.user) signedIn.set(connection.user.id, (signedIn.get(connection.user.id) ?? 0) + 1);
  }
  const users = [...signedIn.keys()]
    .sort()
    .slice(0, SNAPSHOT_LIST_LIMIT)
    .map((id) => ({ id, connections: signedIn.get(id) ?? 0 }));
  return { connections: ctx.connections.size, channels, channelCount: names.length, users, userCount: signedIn.size };
}
