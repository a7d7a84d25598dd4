/** Per-IP request limit for the auth routes; 0 turns it off. */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from '../errors.js';

export function authRateLimit(perMinute: number): RequestHandler[] {
  if (perMinute === 0) return [];
  return [
    rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new HttpError('rate_limited')),
    }),
  ];
}
