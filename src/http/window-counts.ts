/**
 * Counts per client address in fixed one-minute windows, with a bounded table: what both the
 * request rate limit and the wrong-token limit count. Time comes from the injected clock.
 */

const WINDOW_MS = 60_000;
/** At most this many addresses are remembered; the oldest windows go first. */
const MAX_TRACKED_ADDRESSES = 10_000;

export interface WindowCount {
  readonly count: number;
  /** Seconds until this address's window is over (at least 1). */
  readonly resetSeconds: number;
}

export interface WindowCounts {
  /** This address's count in its current window (0 when it has none). */
  peek(address: string): WindowCount;
  /** Counts one more for `address`; returns the count with it. */
  hit(address: string): WindowCount;
}

export function createWindowCounts({ clock = Date.now, maxAddresses = MAX_TRACKED_ADDRESSES } = {}): WindowCounts {
  // Insertion order is the order windows started: the oldest are first.
  const windows = new Map<string, { startedAt: number; count: number }>();
  const current = (address: string, now: number) => {
    const window = windows.get(address);
    if (window && now - window.startedAt < WINDOW_MS) return window;
    windows.delete(address);
    return undefined;
  };
  const reading = (count: number, startedAt: number, now: number): WindowCount => ({
    count,
    resetSeconds: Math.max(1, Math.ceil((startedAt + WINDOW_MS - now) / 1000)),
  });
  return {
    peek(address) {
      const now = clock();
      const window = current(address, now);
      return window ? reading(window.count, window.startedAt, now) : reading(0, now, now);
    },
    hit(address) {
      const now = clock();
      const window = current(address, now);
      if (window) {
        window.count += 1;
        return reading(window.count, window.startedAt, now);
      }
      for (const [oldest, { startedAt }] of windows) {
        if (windows.size < maxAddresses && now - startedAt < WINDOW_MS) break;
        windows.delete(oldest);
      }
      windows.set(address, { startedAt: now, count: 1 });
      return reading(1, now, now);
    },
  };
}
