/**
 * What to do when Pusher reports something: edit this file (like `src/channels.ts`).
 *
 * POST /pusher/webhooks verifies each webhook (key and signature), logs its events, answers 200
 * at once, then calls the handler named after each event, in order. A handler may be async; a
 * slow one delays the next webhook's handlers but never Pusher's answer, and one that throws is
 * logged and skipped. Events without a handler here are only logged.
 *
 * Pusher sends channel_vacated and member_removed about 3 s late, and not at all when the client
 * came back in time (a page reload), so "offline" here means really gone.
 */
import { defineWebhookHandlers } from './webhook-receiver/events.js';

export const webhookHandlers = defineWebhookHandlers({
  channel_occupied: ({ channel }, { logger }) => {
    logger.debug({ channel }, 'first subscriber: start producing events for this channel');
  },
  channel_vacated: ({ channel }, { logger }) => {
    logger.debug({ channel }, 'no subscriber left: stop producing events for this channel');
  },
  member_added: ({ channel, user_id }, { logger }) => {
    // e.g. await db.users.markOnline(user_id)
    logger.debug({ channel, user_id }, 'member online');
  },
  member_removed: ({ channel, user_id }, { logger }) => {
    logger.debug({ channel, user_id }, 'member offline');
  },
  client_event: ({ channel, event, user_id }, { logger }) => {
    // `data` is the string the other subscribers received; JSON.parse it if you need it.
    logger.debug({ channel, event, user_id }, 'client event');
  },
});
