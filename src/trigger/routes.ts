/** POST /trigger and POST /trigger/batch: publish through the Pusher service, bearer token required. */
import { Router } from 'express';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { parseBody } from '@pusher-auth-server/channel-auth/http';
import { onFinish, type AnswerListener } from '../http/on-finish.js';
import { validate } from '@pusher-auth-server/channel-auth/http';
import type { TokenFailures } from '../http/token-failures.js';
import type { Publisher } from './publisher.js';
import { assertDataSize, batchSchema, triggerSchema } from './schema.js';
import { requireTriggerToken } from './token.js';

export const TRIGGER_BODY_LIMIT = '64kb';
const BATCH_BODY_LIMIT = '256kb';

export interface TriggerRouteDeps {
  readonly tokens: readonly string[];
  /** Wrong tokens per client address, shared by every token-protected route. */
  readonly failures: TokenFailures;
  readonly publisher: Publisher;
  readonly logger: Logger;
  /** Whether a master key is configured (private-encrypted channels). */
  readonly encryption: boolean;
  /** Told each answer's status and how long it took (metrics). */
  readonly onAnswered?: AnswerListener;
}

export function triggerRoutes({ tokens, failures, publisher, logger, encryption, onAnswered }: TriggerRouteDeps): Router {
  const router = Router();
  if (onAnswered) router.use(['/trigger', '/trigger/batch'], onFinish(onAnswered));
  const gate = requireTriggerToken(tokens, failures);
  const single = triggerSchema({ encryption });
  const batch = batchSchema({ encryption });
  const published = async (send: Promise<void>): Promise<void> => {
    try {
      await send;
    } catch (err) {
      if (err instanceof HttpError) logger.warn({ code: err.code, details: err.details }, err.message);
      throw err;
    }
  };

  // Order (docs/design.md#order-of-checks): token 401 -> content type 415 -> body size 413 -> body rules 400 -> data size 413.
  router.post('/trigger', gate, ...parseBody({ limit: TRIGGER_BODY_LIMIT }), async (req, res) => {
    const event = validate(single, req.body);
    assertDataSize([{ field: 'data', channel: event.channels[0] as string, data: event.data }]);
    await published(publisher.publish(event));
    logger.info({ channels: event.channels, event: event.event }, 'event published');
    res.json({ ok: true });
  });

  router.post('/trigger/batch', gate, ...parseBody({ limit: BATCH_BODY_LIMIT }), async (req, res) => {
    const { batch: events } = validate(batch, req.body);
    assertDataSize(events.map((entry, index) => ({ field: `batch.${index}.data`, channel: entry.channel, data: entry.data })));
    await published(publisher.publishBatch(events));
    logger.info({ events: events.map(({ channel, event }) => ({ channel, event })) }, 'batch published');
    res.json({ ok: true });
  });

  return router;
}
