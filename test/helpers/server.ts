/**
 * Shared test helper: a real server on port 0.
 *
 *   const server = await startTestServer({ EMBEDDED_CLIENT_EVENTS: 'false' });
 *   ... fetch(`${server.url}/healthz`) ...
 *   await server.close();
 *
 * `env` is what `loadConfig` reads (strings, like process.env; nothing is read from the real
 * environment). Defaults: PORT=0, LOG_LEVEL=silent, embedded mode with generated secrets. The
 * returned server's `config` holds what was generated (`config.triggerTokens[0]`,
 * `config.app.secret`, ...). `options` go to `startServer` (logger, clock, webhooks); the logger
 * defaults to a silent one.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';

export type TestEnv = Readonly<Record<string, string | undefined>>;

export const silentLogger = pino({ level: 'silent' });

export async function startTestServer(env: TestEnv = {}, options: ServerOptions = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  return startServer(config, { logger: silentLogger, ...options });
}

/** Embedded-mode credentials to give a second instance, or a remote-mode client, the same app. */
export function appEnv(server: RunningServer): Record<string, string> {
  const { appId, key, secret } = server.config.app;
  return { PUSHER_APP_ID: appId, PUSHER_KEY: key, PUSHER_SECRET: secret };
}

/** Remote-mode variables that point the server at a stand-in Pusher service on 127.0.0.1:`port`. */
export function remoteEnv(port: number, app: { appId: string; key: string; secret: string }): Record<string, string> {
  return { PUSHER_HOST: '127.0.0.1', PUSHER_PORT: String(port), PUSHER_USE_TLS: 'false', PUSHER_APP_ID: app.appId, PUSHER_KEY: app.key, PUSHER_SECRET: app.secret };
}
