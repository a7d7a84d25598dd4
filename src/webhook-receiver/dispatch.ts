/**
 * Hands verified webhook events to the user's handlers, after the HTTP answer has gone: one body
 * after another, events in order. A failing handler is logged and does not stop the next one.
 */
import type { Logger } from 'pino';
import {
  isKnownEventName,
  webhookEventSchemas,
  type WebhookEventName,
  type WebhookHandler,
  type WebhookHandlers,
} from './events.js';

export interface WebhookDispatcher {
  /** Queues the events; never rejects. */
  dispatch(events: ReadonlyArray<{ name: string }>, timeMs: number | undefined): void;
}

const BACKLOG_WARNING = 1000;

export function createWebhookDispatcher(handlers: WebhookHandlers, logger: Logger): WebhookDispatcher {
  let tail: Promise<void> = Promise.resolve();
  let backlog = 0;

  const runOne = async (raw: { name: string }, timeMs: number | undefined): Promise<void> => {
    const { name } = raw;
    if (!isKnownEventName(name)) {
      logger.info({ webhook: name }, 'webhook event with no known name: skipped');
      return;
    }
    const handler = handlers[name] as WebhookHandler<WebhookEventName> | undefined;
    if (!handler) return;
    const parsed = webhookEventSchemas[name].safeParse(raw);
    if (!parsed.success) {
      logger.warn({ webhook: name, problems: parsed.error.issues.map((i) => i.message) }, 'malformed webhook event: skipped');
      return;
    }
    try {
      await handler(parsed.data as never, { timeMs, logger });
    } catch (err) {
      logger.error({ err, webhook: name }, 'webhook handler failed');
    }
  };

  return {
    dispatch(events, timeMs) {
      backlog += 1;
      if (backlog === BACKLOG_WARNING) logger.warn({ backlog }, 'webhook handlers are falling behind');
      tail = tail.then(async () => {
        for (const event of events) await runOne(event, timeMs);
        backlog -= 1;
      });
    },
  };
}
