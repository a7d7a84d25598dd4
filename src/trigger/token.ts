/** The bearer TRIGGER_TOKEN gate: 503 when publishing is off, else 401 unless a token matches. */
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import { requireBearer } from '../http/require-bearer.js';
import type { TokenFailures } from '../http/token-failures.js';

export function requireTriggerToken(tokens: readonly string[], failures: TokenFailures): RequestHandler {
  const gate = requireBearer(tokens, { variable: 'TRIGGER_TOKEN', label: 'trigger token' }, failures);
  return (req, res, next) => (tokens.length === 0 ? next(new HttpError('trigger_disabled')) : gate(req, res, next));
}
