/** Remote mode: the console is off (404 everywhere) unless CONSOLE_TOKEN is set; then it explains, without state. */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, type TestEnv } from '../helpers/server.js';
import { consoleFetch } from '../helpers/console.js';

const REMOTE: TestEnv = {
  PUSHER_HOST: '127.0.0.1',
  PUSHER_PORT: '9', // never reached: nothing here publishes
  PUSHER_APP_ID: 'app',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'remote-secret',
  JWT_SECRET: 'remote-console-test-jwt-secret-0123456789',
};
const started: RunningServer[] = [];
afterAll(() => Promise.all(started.map((s) => s.close())));

async function remote(env: TestEnv = {}): Promise<RunningServer> {
  const server = await startTestServer({ ...REMOTE, ...env });
  started.push(server);
  return server;
}

describe('the console in remote mode', () => {
  it.each([
    ['GET', '/console'],
    ['GET', '/console/'],
    ['GET', '/console/decisions'],
    ['POST', '/console/explain'],
    ['GET', '/console/state'],
    ['GET', '/console.html'],
    ['GET', '/console.js'],
    ['GET', '/console.css'],
  ] as const)('is off without CONSOLE_TOKEN: %s %s is a 404', async (method, path) => {
    const server = started[0] ?? (await remote());
    expect(await consoleFetch(server.url, path, { method, token: 'anything' })).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: `No route for ${method} ${path}.` } },
    });
  });

  it('is on with CONSOLE_TOKEN: the token gates it, explain works, there is no embedded state', async () => {
    const server = await remote({ CONSOLE_TOKEN: 'remote-console-token' });
    expect((await consoleFetch(server.url, '/console/explain', { method: 'POST', body: {} })).status).toBe(401);
    const body = { user: { id: '1' }, channel: 'private-user-1' };
    expect(await consoleFetch(server.url, '/console/explain', { method: 'POST', token: 'remote-console-token', body })).toEqual({
      status: 200,
      body: { allow: true, rule: 'private-user-{userId}' },
    });
    expect(await consoleFetch(server.url, '/console/state', { token: 'remote-console-token' })).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'No route for GET /console/state.' } },
    });
    expect((await fetch(`${server.url}/console`)).status).toBe(200);
  });
});
