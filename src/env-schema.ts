/**
 * The variables loadConfig reads, each with its rule: what a value must look like, never what it
 * was (a secret never appears in a message). The README's configuration table and .env.example
 * list the same names (test/docs/config-table.test.ts).
 */
import { z } from 'zod';
import { trustFunction, type TrustProxy } from './http/client-ip.js';

const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional());
const port = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce.number({ message: 'must be a port number' }).int('must be a port number').min(0).max(65535).optional(),
);
const flag = z.preprocess(
  (v) => (v === '' || v === undefined ? undefined : String(v).toLowerCase()),
  z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).optional(),
);
const url = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    // fetch refuses user:password@ in a URL, and the error it throws would carry the password.
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), { message: 'must not carry credentials (user:password@)' })
    .optional(),
);
const HS256_MIN_BYTES = 32; // RFC 7518 3.2: a key at least as long as the hash
const jwtSecret = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((s) => Buffer.byteLength(s) >= HS256_MIN_BYTES, {
      message: `must be at least ${HS256_MIN_BYTES} bytes (openssl rand -hex 32)`,
    })
    .optional(),
);
const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : []),
  z.array(z.string()),
);
/**
 * Bearer tokens (TRIGGER_TOKEN, CONSOLE_TOKEN, METRICS_TOKEN): 16 characters are 64 bits even as
 * hex, out of reach at the 50 wrong tokens a minute an address may try (src/http/token-failures.ts),
 * while a word, a name or a short PIN is refused before it can be guessed.
 */
const TOKEN_MIN_CHARS = 16;
const TOKEN_RULE = `must be at least ${TOKEN_MIN_CHARS} characters (openssl rand -hex 24)`;
const isLongEnough = (token: string) => token.length >= TOKEN_MIN_CHARS;
const tokenList = list.refine((tokens) => tokens.every(isLongEnough), { message: `each token ${TOKEN_RULE}` });
const token = optionalText.refine((value) => value === undefined || isLongEnough(value), { message: TOKEN_RULE });
const masterKey = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
      message: 'must be base64 of exactly 32 bytes (openssl rand -base64 32)',
    })
    .optional(),
);

/** A whole number, 0 or more; empty = unset. */
const count = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0).optional(),
);

const trustProxyRule = 'must be true, false, a hop count, or comma-separated addresses or subnets';
const trustProxy = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const text = v?.trim().toLowerCase() ?? 'false';
      if (text === 'true' || text === 'false') return text === 'true';
      if (/^\d+$/.test(text)) return Number(text);
      const addresses = text.split(',').map((s) => s.trim());
      try {
        trustFunction(addresses); // proxy-addr throws on an address or subnet it cannot read
      } catch {
        ctx.addIssue({ code: 'custom', message: trustProxyRule });
        return z.NEVER;
      }
      return addresses;
    }),
);

export const envSchema = z.object({
  PORT: port,
  HOST: optionalText,
  PUSHER_APP_ID: optionalText,
  PUSHER_KEY: optionalText,
  PUSHER_SECRET: optionalText,
  PUSHER_CLUSTER: optionalText,
  PUSHER_HOST: optionalText,
  PUSHER_PORT: port,
  PUSHER_USE_TLS: flag,
  PUSHER_WS_HOST: optionalText,
  PUSHER_WS_PORT: port,
  PUSHER_ENCRYPTION_MASTER_KEY_BASE64: masterKey,
  TRIGGER_TOKEN: tokenList,
  JWT_SECRET: jwtSecret,
  JWKS_URL: url,
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  IDENTITY_URL: url,
  DEMO_LOGIN: flag,
  CORS_ORIGINS: list,
  AUTH_RATE_LIMIT_PER_MINUTE: count,
  AUTH_EXPLAIN: flag,
  EMBEDDED_WEBHOOK_URL: url,
  EMBEDDED_CLIENT_EVENTS: flag,
  EMBEDDED_MAX_CONNECTIONS: count,
  EMBEDDED_MAX_CONNECTIONS_PER_IP: count,
  EMBEDDED_MAX_BUFFERED_BYTES: count,
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  METRICS_TOKEN: token,
  CONSOLE_TOKEN: token,
  TRUST_PROXY: trustProxy,
  AUTHZ_URL: url,
  AUTHZ_TOKEN: optionalText,
  AUTHZ_CACHE_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number({ message: 'must be a number of seconds, 0 or more' }).min(0, 'must be a number of seconds, 0 or more').optional(),
  ),
});

export type Env = z.infer<typeof envSchema>;
