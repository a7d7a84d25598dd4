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

/** `key:hex(HMAC-SHA256(secret, toSign))` (PROTOCOL.md 1.1). */
export function expectedAuth(app: { key: string; secret: string }, toSign: string): string {
  return `${app.key}:${createHmac('sha256', app.secret).update(toSign, 'utf8').digest('hex')}`;
}

/** base64(SHA-256(channel bytes ‖ master key bytes)) (PROTOCOL.md 1.3). */
export function expectedSharedSecret(channel: string, masterKey: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(channel, 'utf8'), masterKey])).digest('base64');
}
