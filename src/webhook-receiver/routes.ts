/**
 * POST /pusher/webhooks. Order (docs/design.md#order-of-checks): key and signature 401 -> content type 415 -> body 400.
 * The raw body must be read (up to 1 MB, else 413) before its signature can be checked.
 */
import express, { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { JSON_TYPE, requireContentType } from '@pusher-auth-server/channel-auth/http';
import { validate } from '@pusher-auth-server/channel-auth/http';
import type { AppCredentials } from '@pusher-auth-server/pusher-core';
import { createWebhookDispatcher } from './dispatch.js';
import { webhookBodySchema, type WebhookHandlers } from './events.js';
import { isKnownKey, isValidSignature } from './verify.js';

const WEBHOOK_PATH = '/pusher/webhooks';
const WEBHOOK_BODY_LIMIT = '1mb';

export interface WebhookRouteDeps {
  readonly app: AppCredentials;
  readonly handlers: WebhookHandlers;
  readonly logger: Logger;
}

export function webhookRoutes({ app, handlers, logger }: WebhookRouteDeps): Router {
  const log = logger.child({ component: 'webhooks' });
  const dispatcher = createWebhookDispatcher(handlers, log);

  const knownKey: RequestHandler = (req, _res, next) => {
    if (!isKnownKey(app, req.headers['x-pusher-key'])) {
      return next(new HttpError('unauthenticated', 'X-Pusher-Key is missing or is not this app\'s key.'));
    }
    next();
  };
  const rawBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const signed: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (!isValidSignature(app, raw, req.headers['x-pusher-signature'])) {
      return next(new HttpError('unauthenticated', 'X-Pusher-Signature does not match the body.'));
    }
    next();
  };

  const router = Router();
  router.post(WEBHOOK_PATH, knownKey, rawBody, signed, requireContentType([JSON_TYPE]), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError('invalid_request', 'The webhook body is not valid JSON.');
    }
    const { time_ms, events } = validate(webhookBodySchema, parsed);
    for (const event of events) {
      const { name, channel, user_id, event: clientEvent } = event;
      log.info({ webhook: name, channel, user_id, event: clientEvent }, 'webhook received');
    }
    res.json({ ok: true });
    dispatcher.dispatch(events, time_ms);
  });
  return router;
}
