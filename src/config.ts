/** loadConfig(env): the one place that reads configuration. Pure apart from injected randomness. */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { TrustProxy } from './http/client-ip.js';
import { type Env, envSchema } from './env-schema.js';

type Mode = 'embedded' | 'remote';

interface CommonConfig {
  readonly host: string;
  readonly port: number;
  readonly app: { readonly appId: string; readonly key: string; readonly secret: string };
  /** 32 raw bytes; absent means private-encrypted channels are refused. */
  readonly encryptionMasterKey: Buffer | undefined;
  /** Several tokens allow rotation; empty means /trigger is disabled. */
  readonly triggerTokens: readonly string[];
  readonly identity: {
    readonly jwtSecret: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly jwtIssuer: string | undefined;
    readonly jwtAudience: string | undefined;
    readonly identityUrl: string | undefined;
  };
  readonly demoLogin: boolean;
  readonly corsOrigins: readonly string[];
  readonly authRateLimitPerMinute: number;
  readonly authExplain: boolean;
  readonly logLevel: string;
  readonly metricsToken: string | undefined;
  /** Bearer token for /console/*; undefined means the console is off (404). */
  readonly consoleToken: string | undefined;
  /** TRUST_PROXY: whose X-Forwarded-For to believe; off by default. */
  readonly trustProxy: TrustProxy;
  /** AUTHZ_URL: the app decides channels no rule matches (docs/design.md#authz-url); absent, they are refused. */
  readonly authz: { readonly url: string; readonly token: string | undefined; readonly cacheSeconds: number } | undefined;
  /** Which values were generated for this start (the banner may show these, never the given ones). */
  readonly generated: { readonly triggerToken: boolean; readonly consoleToken: boolean };
}

export interface EmbeddedConfig extends CommonConfig {
  readonly mode: 'embedded';
  readonly embedded: {
    readonly webhookUrl: string | undefined;
    readonly clientEvents: boolean;
    /** 0 = no cap. */
    readonly maxConnections: number;
    /** 0 = no cap. */
    readonly maxConnectionsPerIp: number;
    /** Unread bytes past which a connection is closed with 4100; 0 = no cap. */
    readonly maxBufferedBytes: number;
  };
}

export interface RemoteConfig extends CommonConfig {
  readonly mode: 'remote';
  readonly remote: {
    readonly cluster: string | undefined;
    readonly host: string | undefined;
    readonly port: number | undefined;
    readonly useTLS: boolean;
    readonly wsHost: string | undefined;
    readonly wsPort: number | undefined;
  };
}

export type Config = EmbeddedConfig | RemoteConfig;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type RandomBytes = (size: number) => Buffer;

const isOn = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : ['true', '1', 'yes'].includes(value);

export function loadConfig(
  rawEnv: Readonly<Record<string, string | undefined>>,
  randomBytes: RandomBytes = nodeRandomBytes,
): Config {
  const parsed = envSchema.safeParse(rawEnv);
  if (!parsed.success) {
    // Messages name the variable and the rule, never the value given.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const mode: Mode = env.PUSHER_CLUSTER || env.PUSHER_HOST ? 'remote' : 'embedded';
  const problems = mode === 'remote' ? remoteProblems(env) : [];
  if (problems.length > 0) throw new ConfigError(problems);

  const random = (bytes: number) => randomBytes(bytes).toString('hex');
  const embedded = mode === 'embedded';
  const triggerTokens = env.TRIGGER_TOKEN.length > 0 ? env.TRIGGER_TOKEN : embedded ? [random(24)] : [];
  const common: CommonConfig = {
    host: env.HOST ?? '127.0.0.1',
    port: env.PORT ?? 3000,
    app: {
      appId: env.PUSHER_APP_ID ?? 'local',
      key: env.PUSHER_KEY ?? 'local-key',
      secret: env.PUSHER_SECRET ?? random(20),
    },
    encryptionMasterKey: env.PUSHER_ENCRYPTION_MASTER_KEY_BASE64
      ? Buffer.from(env.PUSHER_ENCRYPTION_MASTER_KEY_BASE64, 'base64')
      : embedded
        ? randomBytes(32)
        : undefined,
    triggerTokens,
    identity: {
      jwtSecret: env.JWT_SECRET ?? (embedded ? random(32) : undefined),
      jwksUrl: env.JWKS_URL,
      jwtIssuer: env.JWT_ISSUER,
      jwtAudience: env.JWT_AUDIENCE,
      identityUrl: env.IDENTITY_URL,
    },
    demoLogin: isOn(env.DEMO_LOGIN, embedded),
    corsOrigins: env.CORS_ORIGINS,
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE ?? 600,
    authExplain: isOn(env.AUTH_EXPLAIN, embedded),
    logLevel: env.LOG_LEVEL ?? 'info',
    metricsToken: env.METRICS_TOKEN,
    consoleToken: env.CONSOLE_TOKEN ?? (embedded ? random(24) : undefined),
    trustProxy: env.TRUST_PROXY,
    authz: env.AUTHZ_URL === undefined ? undefined : { url: env.AUTHZ_URL, token: env.AUTHZ_TOKEN, cacheSeconds: env.AUTHZ_CACHE_SECONDS ?? 0 },
    generated: {
      triggerToken: env.TRIGGER_TOKEN.length === 0 && embedded,
      consoleToken: env.CONSOLE_TOKEN === undefined && embedded,
    },
  };
  const config: Config = embedded
    ? {
        ...common,
        mode: 'embedded',
        embedded: {
          webhookUrl: env.EMBEDDED_WEBHOOK_URL,
          clientEvents: isOn(env.EMBEDDED_CLIENT_EVENTS, true),
          maxConnections: env.EMBEDDED_MAX_CONNECTIONS ?? 10_000,
          maxConnectionsPerIp: env.EMBEDDED_MAX_CONNECTIONS_PER_IP ?? 100,
          maxBufferedBytes: env.EMBEDDED_MAX_BUFFERED_BYTES ?? 1_048_576,
        },
      }
    : {
        ...common,
        mode: 'remote',
        remote: {
          cluster: env.PUSHER_CLUSTER,
          host: env.PUSHER_HOST,
          port: env.PUSHER_PORT,
          useTLS: isOn(env.PUSHER_USE_TLS, true),
          wsHost: env.PUSHER_WS_HOST,
          wsPort: env.PUSHER_WS_PORT,
        },
      };
  return deepFreeze(config);
}

function remoteProblems(env: Env): string[] {
  const problems: string[] = [];
  for (const name of ['PUSHER_APP_ID', 'PUSHER_KEY', 'PUSHER_SECRET'] as const) {
    if (!env[name]) problems.push(`${name}: required in remote mode (PUSHER_CLUSTER or PUSHER_HOST is set)`);
  }
  if (!env.JWT_SECRET && !env.JWKS_URL && !env.IDENTITY_URL) {
    problems.push('JWT_SECRET, JWKS_URL or IDENTITY_URL: remote mode needs at least one identity source');
  }
  if (isOn(env.DEMO_LOGIN, false) && !env.JWT_SECRET) {
    problems.push('DEMO_LOGIN: needs JWT_SECRET to sign its tokens');
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
