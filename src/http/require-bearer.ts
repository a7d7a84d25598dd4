/** A bearer-token gate: 401 `unauthenticated` unless one of the accepted tokens is presented. */
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { bearerToken, createTokenCheck } from './bearer.js';
import { tokenFailureLimit, type TokenFailures } from './token-failures.js';

export interface BearerGateNames {
  /** The variable that holds the token, named in the 401 message: `TRIGGER_TOKEN`. */
  readonly variable: string;
  /** What the token is called in a sentence: `trigger token`. */
  readonly label: string;
}

/**
 * Several tokens allow rotation; every one is compared, in constant time, whatever matches. An
 * address that presented too many wrong tokens gets 429 before its token is even looked at.
 */
export function requireBearer(tokens: readonly string[], names: BearerGateNames, failures: TokenFailures): RequestHandler {
  const isAccepted = createTokenCheck(tokens);
  return (req, res, next) => {
    const limited = tokenFailureLimit(failures, req, res);
    if (limited) return next(limited);
    const presented = bearerToken(req.headers.authorization);
    res.set('WWW-Authenticate', 'Bearer');
    if (presented === undefined) {
      return next(new HttpError('unauthenticated', `Send the header Authorization: Bearer <${names.variable}>.`));
    }
    if (!isAccepted(presented)) {
      failures.record(req.ip ?? '');
      return next(new HttpError('unauthenticated', `The ${names.label} is not valid.`));
    }
    res.removeHeader('WWW-Authenticate');
    next();
  };
}
