/** The bearer TRIGGER_TOKEN gate: 503 when publishing is off, else 401 unless a token matches. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

// Digests have one length, so comparing them leaks neither the token nor its length.
const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** Several tokens allow rotation; every one is compared, in constant time, whatever matches. */
export function requireTriggerToken(tokens: readonly string[]): RequestHandler {
  const accepted = tokens.map(digest);
  return (req, res, next) => {
    if (accepted.length === 0) return next(new HttpError('trigger_disabled'));
    const presented = bearerToken(req.headers.authorization);
    res.set('WWW-Authenticate', 'Bearer');
    if (presented === undefined) {
      return next(new HttpError('unauthenticated', 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.'));
    }
    const candidate = digest(presented);
    let match = false;
    for (const token of accepted) match = timingSafeEqual(token, candidate) || match;
    if (!match) return next(new HttpError('unauthenticated', 'The trigger token is not valid.'));
    res.removeHeader('WWW-Authenticate');
    next();
  };
}
