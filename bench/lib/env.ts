/** The environment of the server under test: embedded mode, fixed secrets, rate limits, connection caps and logs off. */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export const BENCH_JWT_SECRET = randomBytes(32).toString('hex');
export const BENCH_TRIGGER_TOKEN = randomBytes(24).toString('hex');
export const BENCH_CONSOLE_TOKEN = randomBytes(24).toString('hex');

export function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    // Every bench client comes from 127.0.0.1, and the connection bench opens thousands.
    EMBEDDED_MAX_CONNECTIONS: '0',
    EMBEDDED_MAX_CONNECTIONS_PER_IP: '0',
    JWT_SECRET: BENCH_JWT_SECRET,
    TRIGGER_TOKEN: BENCH_TRIGGER_TOKEN,
    CONSOLE_TOKEN: BENCH_CONSOLE_TOKEN,
    PUSHER_ENCRYPTION_MASTER_KEY_BASE64: randomBytes(32).toString('base64'),
    ...extra,
  };
}

/** A bearer token for `userId`, signed independently of the product code; `jti` makes its text unique. */
export function benchToken(userId: string, name = 'Bench User', jti?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name, ...(jti === undefined ? {} : { jti }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
}

/** One distinct token per user id, none seen by a server before (`run` makes their text unique). */
export function benchTokens(userIds: readonly string[], run: string): Promise<string[]> {
  return Promise.all(userIds.map((id) => benchToken(id, `User ${id}`, `${run}-${id}`)));
}
