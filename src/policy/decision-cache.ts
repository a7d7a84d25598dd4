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

export interface DecisionCache {
  get(userId: string, channel: string): Decision | undefined;
  remember(userId: string, channel: string, decision: Decision): void;
  /** Forgets every answer about this user (their access was taken back). */
  forgetUser(userId: string): void;
}

export function createDecisionCache(seconds: number, clock: () => number, limit = DECISION_CACHE_LIMIT): DecisionCache {
  const entries = new Map<string, Entry>();
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
    remember(userId, channel, decision) {
      if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
      entries.set(keyOf(userId, channel), { userId, decision, expiresAt: clock() + seconds * 1000 });
    },
    forgetUser(userId) {
      for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
    },
  };
}
