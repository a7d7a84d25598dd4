/**
 * AUTHZ_CACHE_SECONDS: the app's answers remembered per user and channel, at most `limit` of them
 * (the least recently used goes first), each for `seconds` by the injected clock.
 */
import type { Decision } from './engine.js';

const DECISION_CACHE_LIMIT = 10_000;

interface Entry {
  readonly userId: string;
  readonly decision: Decision;
  readonly expiresAt: number;
}

/** The asks about one user still waiting for the app, and how often the user was forgotten meanwhile. */
interface Asking {
  count: number;
  generation: number;
}

/** One ask to the app about a user, from before the request until its answer. */
export interface PendingAnswer {
  /** Remembered only if the user was not forgotten since the ask began. */
  remember(channel: string, decision: Decision): void;
  /** The ask is over (answered or failed); call exactly once. */
  end(): void;
}

export interface DecisionCache {
  get(userId: string, channel: string): Decision | undefined;
  begin(userId: string): PendingAnswer;
  /** Forgets every answer about this user, including those the app is still composing. */
  forgetUser(userId: string): void;
}

export function createDecisionCache(seconds: number, clock: () => number, limit = DECISION_CACHE_LIMIT): DecisionCache {
  const entries = new Map<string, Entry>();
  // Only users with an ask in flight need a generation: a later ask starts after any forgetting.
  const asking = new Map<string, Asking>();
  const keyOf = (userId: string, channel: string) => `${userId}\n${channel}`; // neither may hold a newline
  return {
    get(userId, channel) {
      const key = keyOf(userId, channel);
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (clock() >= entry.expiresAt) return undefined;
      entries.set(key, entry); // most recently used last
      return entry.decision;
    },
    begin(userId) {
      const state = asking.get(userId) ?? { count: 0, generation: 0 };
      state.count += 1;
      asking.set(userId, state);
      const generation = state.generation;
      return {
        remember(channel, decision) {
          if (state.generation !== generation) return;
          if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
          entries.set(keyOf(userId, channel), { userId, decision, expiresAt: clock() + seconds * 1000 });
        },
        end() {
          state.count -= 1;
          if (state.count === 0) asking.delete(userId);
        },
      };
    },
    forgetUser(userId) {
      for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
      const state = asking.get(userId);
      if (state) state.generation += 1;
    },
  };
}
