/** Pure webhook verification (docs/protocol.md#webhooks): the app key, and HMAC-SHA256 hex of the raw body. */
import { hmacSha256Hex, safeEqual, type AppCredentials } from '@pusher-auth-server/pusher-core';

export function webhookSignature(secret: string, rawBody: Buffer | string): string {
  return hmacSha256Hex(secret, rawBody);
}

export function isKnownKey(app: AppCredentials, key: unknown): boolean {
  return typeof key === 'string' && safeEqual(key, app.key);
}

export function isValidSignature(app: AppCredentials, rawBody: Buffer | string, signature: unknown): boolean {
  return typeof signature === 'string' && safeEqual(webhookSignature(app.secret, rawBody), signature.toLowerCase());
}
