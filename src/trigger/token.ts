/** The bearer TRIGGER_TOKEN gate: 503 when publishing is off, else 401 unless a token matches. */
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { bearerToken, createTokenCheck } from '../http/bearer.js';

/** Several tokens allow rotation; every one is compared, in constant time, whatever matches. */
export function requireTriggerToken(tokens: readonly string[]): RequestHandler {
  const isAccepted = createTokenCheck(tokens);
  return (req, res, next) => {
    if (tokens.length === 0) return next(new HttpError('trigger_disabled'));
    const presented = bearerToken(req.headers.authorization);
    res.set('WWW-Authenticate', 'Bearer');
    if (presented === undefined) {
      return next(new HttpError('unauthenticated', 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.'));
    }
    if (!isAccepted(presented)) return next(new HttpError('unauthenticated', 'The trigger token is not valid.'));
    res.removeHeader('WWW-Authenticate');
    next();
  };
}
