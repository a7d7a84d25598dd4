/** Pure signing and verification of Pusher auth strings (docs/protocol.md#channel-signatures, docs/protocol.md#user-authentication). */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface AppCredentials {
  readonly key: string;
  readonly secret: string;
}

export function hmacSha256Hex(secret: string, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Constant-time string equality; the length check leaks only the length. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * What a channel subscription signs. The only difference between private and presence:
 * `channel_data`, as the exact bytes sent, is appended whenever it is present (even empty).
 */
export function channelStringToSign(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

export function userStringToSign(socketId: string, userData: string): string {
  return `${socketId}::user::${userData}`;
}

export function authString(app: AppCredentials, stringToSign: string): string {
  return `${app.key}:${hmacSha256Hex(app.secret, stringToSign)}`;
}

export function verifyAuthString(app: AppCredentials, stringToSign: string, received: unknown): boolean {
  return typeof received === 'string' && safeEqual(authString(app, stringToSign), received);
}

/** base64(SHA-256(utf8(channel) ‖ masterKey)): concatenated as bytes, never as strings. */
export function encryptedChannelSharedSecret(channel: string, masterKey: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(channel, 'utf8'), masterKey])).digest('base64');
}
