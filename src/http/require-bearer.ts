/** A bearer-token gate: 401 `unauthenticated` unless one of the accepted tokens is presented. */
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { bearerToken, createTokenCheck } from './bearer.js';

export interface BearerGateNames {
  /** The variable that holds the token, named in the 401 message: `TRIGGER_TOKEN`. */
  readonly variable: string;
  /** What the token is called in a sentence: `trigger token`. */
  readonly label: string;
}

/** Several tokens allow rotation; every one is compared, in constant time, whatever matches. */
export function requireBearer(tokens: readonly string[], names: BearerGateNames): RequestHandler {
  const isAccepted = createTokenCheck(tokens);
  return (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    res.set('WWW-Authenticate', 'Bearer');
    if (presented === undefined) {
      return next(new HttpError('unauthenticated', `Send the header Authorization: Bearer <${names.variable}>.`));
    }
    if (!isAccepted(presented)) return next(new HttpError('unauthenticated', `The ${names.label} is not valid.`));
    res.removeHeader('WWW-Authenticate');
    next();
  };
}
