/**
 * The per-address request limit (AUTH_RATE_LIMIT_PER_MINUTE; 0 turns it off). One limit is shared
 * by every way a route is answered (the auth routes' fast path and their Express routes), so a
 * client has one budget whichever answers it. RateLimit headers as the IETF draft words them.
 */
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { createWindowCounts } from './window-counts.js';

export interface RequestLimit {
  /** Counts one request from `address`; the 429 to answer when it is over the limit. */
  take(address: string, res: ServerResponse): HttpError | undefined;
}

export function createRequestLimit(perMinute: number, clock?: () => number): RequestLimit | undefined {
  if (perMinute === 0) return undefined;
  const counts = createWindowCounts(clock ? { clock } : {});
  return {
    take(address, res) {
      const { count, resetSeconds } = counts.hit(address);
      res.setHeader('RateLimit-Policy', `"per-minute"; q=${perMinute}; w=60`);
      res.setHeader('RateLimit', `"per-minute"; r=${Math.max(0, perMinute - count)}; t=${resetSeconds}`);
      if (count <= perMinute) return undefined;
      res.setHeader('Retry-After', String(resetSeconds));
      return new HttpError('rate_limited');
    },
  };
}

/** The limit as Express middleware (none when it is off); `req.ip` is the client behind TRUST_PROXY. */
export function limitRequests(limit: RequestLimit | undefined): RequestHandler[] {
  if (!limit) return [];
  return [(req: Request, res, next) => next(limit.take(req.ip ?? '', res))];
}
