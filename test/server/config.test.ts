import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const fixedRandom = (size: number) => Buffer.alloc(size, 7);

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, fixedRandom);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const remote = {
  PUSHER_HOST: 'soketi.internal',
  PUSHER_APP_ID: 'app',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'the-real-secret',
  JWT_SECRET: 'jwt-secret-of-at-least-32-bytes-00',
};

describe('loadConfig', () => {
  it('defaults to embedded mode with generated secrets and demo features on', () => {
    const config = loadConfig({}, fixedRandom);
    expect(config.mode).toBe('embedded');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      app: { appId: 'local', key: 'local-key', secret: '07'.repeat(20) },
      triggerTokens: ['07'.repeat(24)],
      demoLogin: true,
      authExplain: true,
      authRateLimitPerMinute: 600,
      corsOrigins: [],
      generated: { triggerToken: true },
    });
    expect(config.encryptionMasterKey).toEqual(Buffer.alloc(32, 7));
    expect(config.identity.jwtSecret).toBe('07'.repeat(32));
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({}, fixedRandom);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.app)).toBe(true);
    expect(Object.isFrozen(config.triggerTokens)).toBe(true);
  });

  it('reads remote mode and keeps given tokens out of the generated set', () => {
    const config = loadConfig({ ...remote, PUSHER_PORT: '6001', PUSHER_USE_TLS: 'false', TRIGGER_TOKEN: 'first-token-16-ch, second-token-16-c' }, fixedRandom);
    expect(config.mode).toBe('remote');
    if (config.mode !== 'remote') return;
    expect(config.remote).toEqual({ cluster: undefined, host: 'soketi.internal', port: 6001, useTLS: false, wsHost: undefined, wsPort: undefined });
    expect(config.triggerTokens).toEqual(['first-token-16-ch', 'second-token-16-c']);
    expect(config.generated.triggerToken).toBe(false);
    expect(config.demoLogin).toBe(false);
    expect(config.authExplain).toBe(false);
    expect(config.encryptionMasterKey).toBeUndefined();
  });

  it('generates a CONSOLE_TOKEN per start in embedded mode, and keeps a given one out of the generated set', () => {
    const embedded = loadConfig({}, fixedRandom);
    expect(embedded.consoleToken).toBe('07'.repeat(24));
    expect(embedded.generated.consoleToken).toBe(true);
    const given = loadConfig({ CONSOLE_TOKEN: 'given-console-token' }, fixedRandom);
    expect(given.consoleToken).toBe('given-console-token');
    expect(given.generated.consoleToken).toBe(false);
  });

  it('leaves the console off in remote mode unless CONSOLE_TOKEN is set', () => {
    expect(loadConfig(remote, fixedRandom).consoleToken).toBeUndefined();
    const on = loadConfig({ ...remote, CONSOLE_TOKEN: 'remote-console-token' }, fixedRandom);
    expect(on.consoleToken).toBe('remote-console-token');
    expect(on.generated.consoleToken).toBe(false);
  });

  it('refuses tokens shorter than 16 characters, each entry of a list, by variable name and never by value', () => {
    const short = '15-chars-secret';
    const long = '16-chars-secret!';
    expect(short).toHaveLength(15);
    expect(long).toHaveLength(16);
    const problems = problemsOf({ TRIGGER_TOKEN: `${long},${short}`, CONSOLE_TOKEN: short, METRICS_TOKEN: short });
    expect(problems).toEqual([
      'TRIGGER_TOKEN: each token must be at least 16 characters (openssl rand -hex 24)',
      'METRICS_TOKEN: must be at least 16 characters (openssl rand -hex 24)',
      'CONSOLE_TOKEN: must be at least 16 characters (openssl rand -hex 24)',
    ]);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ ...remote, TRIGGER_TOKEN: short })).toEqual(['TRIGGER_TOKEN: each token must be at least 16 characters (openssl rand -hex 24)']);
    const accepted = loadConfig({ TRIGGER_TOKEN: `${long}, ${long}x`, CONSOLE_TOKEN: long, METRICS_TOKEN: long }, fixedRandom);
    expect([accepted.triggerTokens, accepted.consoleToken, accepted.metricsToken]).toEqual([[long, `${long}x`], long, long]);
  });

  it('generates tokens well over the minimum in embedded mode', () => {
    const config = loadConfig({});
    expect(config.triggerTokens[0]?.length).toBeGreaterThanOrEqual(32);
    expect(config.consoleToken?.length).toBeGreaterThanOrEqual(32);
  });

  it('leaves /trigger disabled in remote mode without a token', () => {
    expect(loadConfig(remote, fixedRandom).triggerTokens).toEqual([]);
  });

  it('reports every problem at once, by name, never with the value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUSHER_ENCRYPTION_MASTER_KEY_BASE64: 'c2hvcnQ=',
      JWKS_URL: 'not a url',
      IDENTITY_URL: 'file:///etc/passwd',
      EMBEDDED_WEBHOOK_URL: 'http://user:hunter2@127.0.0.1/hook',
      JWT_SECRET: 'short',
      DEMO_LOGIN: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['DEMO_LOGIN', 'EMBEDDED_WEBHOOK_URL', 'IDENTITY_URL', 'JWKS_URL', 'JWT_SECRET', 'LOG_LEVEL', 'PORT', 'PUSHER_ENCRYPTION_MASTER_KEY_BASE64'].sort(),
    );
    expect(problems.join('\n')).not.toMatch(/eighty|c2hvcnQ=|not a url|passwd|hunter2|short|maybe|loud/);
  });

  it('refuses remote mode without credentials or identity source, naming each variable', () => {
    const problems = problemsOf({ PUSHER_CLUSTER: 'eu', PUSHER_SECRET: 'hunter2' });
    expect(problems).toEqual([
      'PUSHER_APP_ID: required in remote mode (PUSHER_CLUSTER or PUSHER_HOST is set)',
      'PUSHER_KEY: required in remote mode (PUSHER_CLUSTER or PUSHER_HOST is set)',
      'JWT_SECRET, JWKS_URL or IDENTITY_URL: remote mode needs at least one identity source',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('accepts an identity service alone as the identity source in remote mode', () => {
    const { JWT_SECRET: _unused, ...withoutJwt } = remote;
    const config = loadConfig({ ...withoutJwt, IDENTITY_URL: 'http://127.0.0.1:9/whoami' }, fixedRandom);
    expect(config.identity).toMatchObject({ jwtSecret: undefined, identityUrl: 'http://127.0.0.1:9/whoami' });
  });

  it('decodes a valid encryption master key and turns flags off', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({ PUSHER_ENCRYPTION_MASTER_KEY_BASE64: key, AUTH_EXPLAIN: 'false', AUTH_RATE_LIMIT_PER_MINUTE: '0' });
    expect(config.encryptionMasterKey).toEqual(Buffer.alloc(32, 1));
    expect(config.authExplain).toBe(false);
    expect(config.authRateLimitPerMinute).toBe(0);
  });

  it('reads AUTHZ_URL, its token and cache seconds (default 0), and refuses bad values by name', () => {
    expect(loadConfig({}, fixedRandom).authz).toBeUndefined();
    expect(loadConfig({ AUTHZ_URL: 'https://app.example/can-join' }, fixedRandom).authz).toEqual({
      url: 'https://app.example/can-join',
      token: undefined,
      cacheSeconds: 0,
    });
    expect(loadConfig({ AUTHZ_URL: 'http://127.0.0.1:8000/x', AUTHZ_TOKEN: 'tok', AUTHZ_CACHE_SECONDS: '2.5' }, fixedRandom).authz).toEqual({
      url: 'http://127.0.0.1:8000/x',
      token: 'tok',
      cacheSeconds: 2.5,
    });
    for (const [name, value] of [
      ['AUTHZ_URL', 'ftp://app.example/x'],
      ['AUTHZ_URL', 'http://user:hunter2@app.example/x'],
      ['AUTHZ_CACHE_SECONDS', '-1'],
      ['AUTHZ_CACHE_SECONDS', 'soon'],
    ] as const) {
      const problems = problemsOf({ AUTHZ_URL: 'http://127.0.0.1/x', [name]: value });
      expect(problems.map((p) => p.split(':')[0])).toEqual([name]);
      expect(problems.join('\n')).not.toContain(value);
    }
  });
});
