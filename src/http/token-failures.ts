/**
 * Wrong bearer tokens, counted per client address (`req.ip`, so behind TRUST_PROXY the client, not
 * the proxy). Once an address has presented MAX_TOKEN_FAILURES wrong tokens within a minute, every
 * token-protected route answers it 429 `rate_limited` until that minute is over, even with the right
 * token: guessing drops from thousands of tries a second to MAX_TOKEN_FAILURES a minute.
 */
import type { Request, Response } from 'express';
import { HttpError } from '../errors.js';
import { createWindowCounts } from './window-counts.js';

/** Well above an operator's typos or a misconfigured client's retries, far below a guessing rate. */
export const MAX_TOKEN_FAILURES = 50;

export interface TokenFailures {
  /** Seconds until `address` may try again; undefined when it may now. */
  retryAfterSeconds(address: string): number | undefined;
  /** Counts one wrong token from `address`. */
  record(address: string): void;
}

export interface TokenFailureOptions {
  readonly clock?: () => number;
  readonly maxFailures?: number;
  readonly maxAddresses?: number;
}

export function createTokenFailures({ clock, maxFailures = MAX_TOKEN_FAILURES, maxAddresses }: TokenFailureOptions = {}): TokenFailures {
  const counts = createWindowCounts({ ...(clock ? { clock } : {}), ...(maxAddresses ? { maxAddresses } : {}) });
  return {
    retryAfterSeconds(address) {
      const { count, resetSeconds } = counts.peek(address);
      return count < maxFailures ? undefined : resetSeconds;
    },
    record(address) {
      counts.hit(address);
    },
  };
}

/** The 429 for a request from an address over the limit (with Retry-After), or undefined. */
export function tokenFailureLimit(failures: TokenFailures, req: Request, res: Response): HttpError | undefined {
  const seconds = failures.retryAfterSeconds(req.ip ?? '');
  if (seconds === undefined) return undefined;
  res.set('Retry-After', String(seconds));
  return new HttpError('rate_limited', `Too many wrong tokens from this address: try again in ${seconds} s.`);
}
