/**
 * POST /console/users/:userId/terminate goes through the same path as POST /users/:userId/terminate:
 * the Publisher's terminate call (the embedded server closes with 4009) and the same onUserTerminated hook.
 */
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { createPusherPublisher, type ClosablePublisher } from '../../src/trigger/pusher-publisher.js';
import type { TestClient } from '../helpers/pusher-client.js';
import { appEnv, silentLogger, startTestServer } from '../helpers/server.js';
import { closeCode, signedInClient } from '../helpers/signed-in.js';

const CONSOLE = 'Bearer console-t0ken';
let upstream: RunningServer;
const publishers: ClosablePublisher[] = [];
const clients: TestClient[] = [];

function consoleApp(port: number, told: string[]) {
  const config = loadConfig({
    ...appEnv(upstream),
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(port),
    PUSHER_USE_TLS: 'false',
    JWT_SECRET: 'j'.repeat(32),
    CONSOLE_TOKEN: 'console-t0ken',
  });
  const { appId, key, secret } = config.app;
  const publisher = createPusherPublisher({ appId, key, secret, host: '127.0.0.1', port, useTLS: false, timeoutMs: 2000 });
  publishers.push(publisher);
  return createApp({ config, logger: silentLogger, publisher, onUserTerminated: (userId) => void told.push(userId) });
}

beforeAll(async () => {
  upstream = await startTestServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of publishers.splice(0)) p.close();
});
afterAll(() => upstream.close());

describe('POST /console/users/:userId/terminate', () => {
  it("closes the user's connections with 4009 and tells onUserTerminated, with the console token alone", async () => {
    const told: string[] = [];
    const app = consoleApp(upstream.port, told);
    const target = await signedInClient(upstream.url, '1');
    clients.push(target);
    const closed = closeCode(target);
    const res = await request(app).post('/console/users/1/terminate').set('authorization', CONSOLE);
    expect([res.status, res.body]).toEqual([200, { ok: true }]);
    expect(told).toEqual(['1']);
    expect(await closed).toBe(4009);
  });

  it('refuses without the console token, and an invalid user id, telling nobody', async () => {
    const told: string[] = [];
    const app = consoleApp(upstream.port, told);
    const anonymous = await request(app).post('/console/users/1/terminate');
    expect([anonymous.status, anonymous.body]).toEqual([
      401,
      { error: { code: 'unauthenticated', message: 'Send the header Authorization: Bearer <CONSOLE_TOKEN>.' } },
    ]);
    const invalid = await request(app).post('/console/users/a%20b/terminate').set('authorization', CONSOLE);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'invalid_request', message: 'Invalid request: check userId.' } });
    expect(told).toEqual([]);
  });

  it('answers 502 upstream_error when Pusher fails, telling nobody', async () => {
    const told: string[] = [];
    const gone = await startTestServer();
    const port = gone.port;
    await gone.close();
    const res = await request(consoleApp(port, told)).post('/console/users/1/terminate').set('authorization', CONSOLE);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: { code: 'upstream_error' } });
    expect(told).toEqual([]);
  });
});
