/**
 * A bounded memory of tokens already verified, keyed by the token's exact text. pusher-js sends
 * the same bearer token for every channel and every reconnect, so most requests repeat one.
 * A hit still honours `exp` and `nbf` against the injected clock; failures are never remembered.
 */
import type { User } from '@pusher-auth-server/channel-auth';

const VERIFIED_TOKENS_LIMIT = 10_000;

interface Entry {
  readonly user: User;
  /** Seconds since the epoch, as in the claims. */
  readonly exp: number;
  readonly nbf: number | undefined;
}

export interface VerifiedTokens {
  /** The user of a token verified before and still within its validity window. */
  get(token: string, nowMs: number): User | undefined;
  remember(token: string, entry: Entry): void;
}

export function createVerifiedTokens(limit = VERIFIED_TOKENS_LIMIT): VerifiedTokens {
  const entries = new Map<string, Entry>();
  return {
    get(token, nowMs) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      const now = Math.floor(nowMs / 1000); // jose's own rule: valid while now < exp and now >= nbf
      if (now < entry.exp && (entry.nbf === undefined || now >= entry.nbf)) return entry.user;
      entries.delete(token);
      return undefined;
    },
    remember(token, entry) {
      if (entries.size >= limit) entries.delete(entries.keys().next().value as string); // oldest first
      entries.set(token, entry);
    },
  };
}
