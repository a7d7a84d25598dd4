/**
 * The server's count of wrong bearer tokens from this test's address, modelled, so a property can
 * say exactly when 429 `rate_limited` is due: once MAX_TOKEN_FAILURES wrong tokens reached a token
 * gate, every request that reaches one is refused, right token or not (and is no longer counted).
 * Start the server with a frozen clock (`frozenClock()`) so the minute never ends mid-run.
 */
import { MAX_TOKEN_FAILURES } from '../../src/http/token-failures.js';

export interface WrongTokens {
  /** A request reached a token gate; returns whether the server must answer it 429. */
  reach(presentedWrongToken: boolean): boolean;
}

export function wrongTokens(): WrongTokens {
  let count = 0;
  return {
    reach(presentedWrongToken) {
      if (count >= MAX_TOKEN_FAILURES) return true;
      if (presentedWrongToken) count += 1;
      return false;
    },
  };
}

/** The server's clock, stopped at the test's start: the embedded API's signed-request timestamps stay fresh for minutes. */
export function frozenClock(): () => number {
  const startedAt = Date.now();
  return () => startedAt;
}

/** The 429 under a frozen clock: the whole minute is always left. */
export const RATE_LIMITED = { error: { code: 'rate_limited', message: 'Too many wrong tokens from this address: try again in 60 s.' } };
