/**
 * A stand-in for an app's own data, for the demo rule `private-room-{roomId}` in src/channels.ts:
 * who is a member of which room. In a real app this is a database query.
 */
export const MAX_MEMBERSHIPS = 1000;

export interface Rooms {
  isMember(roomId: string, userId: string): boolean;
  /** False when the stand-in is full (MAX_MEMBERSHIPS): it lives in memory. */
  add(roomId: string, userId: string): boolean;
  remove(roomId: string, userId: string): void;
}

export function createRooms(seed: Readonly<Record<string, readonly string[]>>): Rooms {
  const members = new Map<string, Set<string>>(Object.entries(seed).map(([room, ids]) => [room, new Set(ids)]));
  let count = [...members.values()].reduce((sum, ids) => sum + ids.size, 0);
  return {
    isMember: (roomId, userId) => members.get(roomId)?.has(userId) ?? false,
    add(roomId, userId) {
      const ids = members.get(roomId) ?? new Set<string>();
      if (ids.has(userId)) return true;
      if (count >= MAX_MEMBERSHIPS) return false;
      members.set(roomId, ids.add(userId));
      count += 1;
      return true;
    },
    remove(roomId, userId) {
      const ids = members.get(roomId);
      if (!ids?.delete(userId)) return;
      count -= 1;
      if (ids.size === 0) members.delete(roomId);
    },
  };
}

/** The demo's data: users 1 and 2 are in room 1. */
export const rooms = createRooms({ '1': ['1', '2'] });
