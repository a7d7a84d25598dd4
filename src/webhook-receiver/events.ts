/** The webhook events Pusher sends (docs/protocol.md#webhooks) and the shape of the handlers users write. */
import type { Logger } from 'pino';
import { z } from 'zod';

const channel = z.string().min(1);

/** One schema per event name: a known name with a wrong shape is logged and skipped, never handled. */
export const webhookEventSchemas = {
  channel_occupied: z.object({ name: z.literal('channel_occupied'), channel }),
  channel_vacated: z.object({ name: z.literal('channel_vacated'), channel }),
  member_added: z.object({ name: z.literal('member_added'), channel, user_id: z.string() }),
  member_removed: z.object({ name: z.literal('member_removed'), channel, user_id: z.string() }),
  client_event: z.object({
    name: z.literal('client_event'),
    channel,
    event: z.string(),
    /** The data string the other subscribers received (JSON, usually). */
    data: z.string(),
    socket_id: z.string(),
    /** Presence channels only. */
    user_id: z.string().optional(),
  }),
  subscription_count: z.object({ name: z.literal('subscription_count'), channel, subscription_count: z.number() }),
  cache_miss: z.object({ name: z.literal('cache_miss'), channel }),
} as const;

export type WebhookEventName = keyof typeof webhookEventSchemas;
export type WebhookEventOf<N extends WebhookEventName> = z.output<(typeof webhookEventSchemas)[N]>;
export type WebhookEvent = { [N in WebhookEventName]: WebhookEventOf<N> }[WebhookEventName];

/** The body: valid JSON with an `events` array (docs/design.md#webhook-receiver); each event an object with a name. */
export const webhookBodySchema = z.object({
  time_ms: z.number().optional(),
  events: z.array(z.looseObject({ name: z.string() }), { error: 'must be an array of events' }),
});

export interface WebhookContext {
  /** `time_ms` of the webhook: when Pusher created it. */
  readonly timeMs: number | undefined;
  readonly logger: Logger;
}

export type WebhookHandler<N extends WebhookEventName> = (
  event: WebhookEventOf<N>,
  context: WebhookContext,
) => void | Promise<void>;

export type WebhookHandlers = { readonly [N in WebhookEventName]?: WebhookHandler<N> };

/** Identity function that gives `src/webhooks.ts` its types. */
export function defineWebhookHandlers(handlers: WebhookHandlers): WebhookHandlers {
  return handlers;
}

export function isKnownEventName(name: string): name is WebhookEventName {
  return Object.hasOwn(webhookEventSchemas, name);
}
