/**
 * Wrong bearer tokens, counted per client address (`req.ip`, so behind TRUST_PROXY the client, not
 * the proxy). Once an address has presented MAX_TOKEN_FAILURES wrong tokens within a minute, every
 * token-protected route answers it 429 `rate_limited` until that minute is over, even with the right
 * token: guessing drops from thousands of tries a second to MAX_TOKEN_FAILURES a minute.
 */
import type { Request, Response } from 'express';
import { HttpError } from '../errors.js';

/** Well above an operator's typos or a misconfigured client's retries, far below a guessing rate. */
export const MAX_TOKEN_FAILURES = 50;
const WINDOW_MS = 60_000;
/** Bounds the table: at most this many addresses are remembered (the oldest windows go first). */
export const MAX_TRACKED_ADDRESSES = 10_000;

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

export function createTokenFailures({ clock = Date.now, maxFailures = MAX_TOKEN_FAILURES, maxAddresses = MAX_TRACKED_ADDRESSES }: TokenFailureOptions = {}): TokenFailures {
  // Insertion order is the order windows started: the oldest are first.
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const current = (address: string, now: number) => {
    const window = windows.get(address);
    if (window && now - window.startedAt < WINDOW_MS) return window;
    windows.delete(address);
    return undefined;
  };
  return {
    retryAfterSeconds(address) {
      const now = clock();
      const window = current(address, now);
      if (!window || window.failures < maxFailures) return undefined;
      return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    },
    record(address) {
      const now = clock();
      const window = current(address, now);
      if (window) {
        window.failures += 1;
        return;
      }
      for (const [oldest, { startedAt }] of windows) {
        if (windows.size < maxAddresses && now - startedAt < WINDOW_MS) break;
        windows.delete(oldest);
      }
      windows.set(address, { startedAt: now, failures: 1 });
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
