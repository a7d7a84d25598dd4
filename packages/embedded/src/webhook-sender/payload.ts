/** Pure: the webhook events the embedded server reports, and the signed request that carries them. */
import { type AppCredentials, hmacSha256Hex } from '@pusher-auth-server/pusher-core';

export type EmbeddedWebhookEvent =
  | { readonly name: 'channel_occupied' | 'channel_vacated'; readonly channel: string }
  | { readonly name: 'member_added' | 'member_removed'; readonly channel: string; readonly user_id: string }
  | {
      readonly name: 'client_event';
      readonly channel: string;
      readonly event: string;
      readonly data: string;
      readonly socket_id: string;
      readonly user_id?: string;
    };

export interface WebhookRequest {
  /** The exact bytes signed and sent. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * `{"time_ms","events"}` signed like Pusher's: X-Pusher-Signature is the hex HMAC-SHA256 of the
 * body with the app secret. The content type is exactly `application/json` (the `pusher` SDK's
 * `WebHook.isValid()` refuses anything else, a charset parameter included).
 */
export function webhookRequest(app: AppCredentials, timeMs: number, events: readonly EmbeddedWebhookEvent[]): WebhookRequest {
  const body = JSON.stringify({ time_ms: timeMs, events });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-pusher-key': app.key,
      'x-pusher-signature': hmacSha256Hex(app.secret, body),
    },
  };
}
