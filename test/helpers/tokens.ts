/** Credentials and expected answers, computed independently of the code under test. */
import { createHash, createHmac } from 'node:crypto';
import { SignJWT } from 'jose';

export const JWT_SECRET = 'resilience-jwt-secret-0123456789abcdef';

/** A valid one-hour HS256 bearer token for `userId` (what any identity provider would issue). */
export function tokenFor(userId: string, secret = JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(secret));
}

/**
 * HS256 over a payload given as JSON text, built by hand: jose cannot serialize payloads nested
 * thousands deep, but a token is only bytes, and an identity provider may mint one.
 */
export function handMadeHs256(payloadJson: string, secret = JWT_SECRET): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const signingInput = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(payloadJson)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A valid token for `userId` whose `user_info` nests `depth` arrays deep. */
export function deepUserInfoToken(userId: string, depth: number, secret = JWT_SECRET, nowMs = Date.now()): string {
  const exp = Math.floor(nowMs / 1000) + 3600;
  return handMadeHs256(`{"sub":${JSON.stringify(userId)},"exp":${exp},"user_info":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}`, secret);
}

/** `key:hex(HMAC-SHA256(secret, toSign))` (docs/protocol.md#channel-signatures). */
export function expectedAuth(app: { key: string; secret: string }, toSign: string): string {
  return `${app.key}:${createHmac('sha256', app.secret).update(toSign, 'utf8').digest('hex')}`;
}

/** base64(SHA-256(channel bytes ‖ master key bytes)) (docs/protocol.md#encrypted-channels). */
export function expectedSharedSecret(channel: string, masterKey: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(channel, 'utf8'), masterKey])).digest('base64');
}
