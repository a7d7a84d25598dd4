/**
 * POST /users/:userId/events: one event to one user's signed-in connections (`#server-to-user-<id>`,
 * pusher-js `pusher.user.bind`), with /trigger's token, body and data rules.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { userIdSchema } from '../auth/user.js';
import { HttpError } from '../errors.js';
import { parseBody, validate } from '@pusher-auth-server/channel-auth/http';
import { type AnswerListener, onFinish } from '../http/on-finish.js';
import { SERVER_TO_USER_PREFIX } from '@pusher-auth-server/pusher-core';
import type { Publisher } from '../trigger/publisher.js';
import { TRIGGER_BODY_LIMIT } from '../trigger/routes.js';
import { assertDataSize, userEventSchema } from '../trigger/schema.js';
import type { TokenFailures } from '../http/token-failures.js';
import { requireTriggerToken } from '../trigger/token.js';

const paramsSchema = z.object({ userId: userIdSchema });

export interface UserEventRouteDeps {
  readonly tokens: readonly string[];
  /** Wrong tokens per client address, shared by every token-protected route. */
  readonly failures: TokenFailures;
  readonly publisher: Publisher;
  readonly logger: Logger;
  /** Told each answer's status and how long it took (metrics). */
  readonly onAnswered?: AnswerListener;
}

export function userEventRoutes({ tokens, failures, publisher, logger, onAnswered }: UserEventRouteDeps): Router {
  const router = Router();
  const measured = onAnswered ? [onFinish(onAnswered)] : [];
  // Order, as on /trigger: token 401 -> content type 415 -> body size 413 -> user id and body 400 -> data size 413.
  router.post('/users/:userId/events', ...measured, requireTriggerToken(tokens, failures), ...parseBody({ limit: TRIGGER_BODY_LIMIT }), async (req, res) => {
    const { userId } = validate(paramsSchema, req.params);
    const { event, data } = validate(userEventSchema, req.body);
    assertDataSize([{ field: 'data', channel: `${SERVER_TO_USER_PREFIX}${userId}`, data }]);
    try {
      await publisher.sendToUser(userId, event, data);
    } catch (err) {
      if (err instanceof HttpError) logger.warn({ userId, code: err.code, details: err.details }, 'user event not sent');
      throw err;
    }
    logger.info({ userId, event }, 'user event sent');
    res.json({ ok: true });
  });
  return router;
}
