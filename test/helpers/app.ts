/** Builds the real Express app from a real config, for supertest. */
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  readonly config: Config;
}

export function testApp(env: Record<string, string> = {}, clock?: () => number): TestApp {
  const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0', ...env });
  return { app: createApp({ config, logger: createLogger('silent'), ...(clock ? { clock } : {}) }), config };
}

export async function demoToken({ app }: TestApp, userId: string, name?: string): Promise<string> {
  const response = await request(app).post('/demo/login').send({ user_id: userId, ...(name ? { name } : {}) });
  if (response.status !== 200) throw new Error(`demo login failed: ${response.status}`);
  return (response.body as { token: string }).token;
}
