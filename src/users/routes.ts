/** POST /users/:userId/terminate: the backend takes a user's access back (TRIGGER_TOKEN, like /trigger). */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { userIdSchema } from '../auth/user.js';
import { onFinish, type AnswerListener } from '../http/on-finish.js';
import { validate } from '@pusher-auth-server/channel-auth/http';
import type { TokenFailures } from '../http/token-failures.js';
import { requireTriggerToken } from '../trigger/token.js';
import type { TerminateUser } from './terminator.js';

const paramsSchema = z.object({ userId: userIdSchema });

export interface TerminateRouteDeps {
  readonly tokens: readonly string[];
  /** Wrong tokens per client address, shared by every token-protected route. */
  readonly failures: TokenFailures;
  readonly terminate: TerminateUser;
  /** Told each answer's status and how long it took (metrics). */
  readonly onAnswered?: AnswerListener;
}

export function terminateRoutes({ tokens, failures, terminate, onAnswered }: TerminateRouteDeps): Router {
  const router = Router();
  const measured = onAnswered ? [onFinish(onAnswered)] : [];
  // Order, as on /trigger: token 401 (or 503) before the user id's 400.
  router.post('/users/:userId/terminate', ...measured, requireTriggerToken(tokens, failures), terminateHandler(terminate));
  return router;
}

/** Validates `:userId`, terminates that user, answers `{ok:true}`: the route's body, for every caller's route. */
export function terminateHandler(terminate: TerminateUser): RequestHandler {
  return async (req, res) => {
    const { userId } = validate(paramsSchema, req.params);
    await terminate(userId);
    res.json({ ok: true });
  };
}
