/**
 * The seam for forgetting a user's cached decisions: createApp's `onUserTerminated` is told the user
 * once Pusher confirmed the terminate, and never when Pusher failed. The app publishes with the real
 * SDK to a real embedded server. The console's terminate button takes the same path.
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

let upstream: RunningServer;
const publishers: ClosablePublisher[] = [];
const clients: TestClient[] = [];

function appPointingAt(port: number, told: string[]) {
  const config = loadConfig({
    ...appEnv(upstream),
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(port),
    PUSHER_USE_TLS: 'false',
    JWT_SECRET: 'j'.repeat(32),
    TRIGGER_TOKEN: 'trigger-t0ken-for-tests',
    CONSOLE_TOKEN: 'console-t0ken-for-tests',
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

describe('onUserTerminated', () => {
  it('is told the user once Pusher closed their connections', async () => {
    const told: string[] = [];
    const app = appPointingAt(upstream.port, told);
    const target = await signedInClient(upstream.url, '1');
    clients.push(target);
    const closed = closeCode(target);
    const res = await request(app).post('/users/1/terminate').set('authorization', 'Bearer trigger-t0ken-for-tests');
    expect([res.status, res.body]).toEqual([200, { ok: true }]);
    expect(told).toEqual(['1']);
    expect(await closed).toBe(4009);
  });

  it('is not told when Pusher failed, nor for a refused request', async () => {
    const told: string[] = [];
    const gone = await startTestServer();
    const port = gone.port;
    await gone.close();
    const app = appPointingAt(port, told);
    expect((await request(app).post('/users/1/terminate').set('authorization', 'Bearer trigger-t0ken-for-tests')).status).toBe(502);
    expect((await request(app).post('/users/1/terminate')).status).toBe(401);
    expect((await request(app).post('/users/a%20b/terminate').set('authorization', 'Bearer trigger-t0ken-for-tests')).status).toBe(400);
    expect(told).toEqual([]);
  });
});

describe('POST /console/users/:userId/terminate: the same path, with the console token', () => {
  const CONSOLE = 'Bearer console-t0ken-for-tests';

  it("closes the user's connections with 4009 and tells onUserTerminated", async () => {
    const told: string[] = [];
    const app = appPointingAt(upstream.port, told);
    const target = await signedInClient(upstream.url, '1');
    clients.push(target);
    const closed = closeCode(target);
    const res = await request(app).post('/console/users/1/terminate').set('authorization', CONSOLE);
    expect([res.status, res.body]).toEqual([200, { ok: true }]);
    expect(told).toEqual(['1']);
    expect(await closed).toBe(4009);
  });

  it('refuses without the console token (the trigger token is not it) and an invalid id; 502 when Pusher fails; tells nobody', async () => {
    const told: string[] = [];
    const app = appPointingAt(upstream.port, told);
    for (const authorization of [undefined, 'Bearer trigger-t0ken-for-tests']) {
      const req = request(app).post('/console/users/1/terminate');
      const res = await (authorization ? req.set('authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: {
          code: 'unauthenticated',
          message: authorization ? 'The console token is not valid.' : 'Send the header Authorization: Bearer <CONSOLE_TOKEN>.',
        },
      });
    }
    const invalid = await request(app).post('/console/users/a%20b/terminate').set('authorization', CONSOLE);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'invalid_request', message: 'Invalid request: check userId.' } });
    const gone = await startTestServer();
    const port = gone.port;
    await gone.close();
    const failed = await request(appPointingAt(port, told)).post('/console/users/1/terminate').set('authorization', CONSOLE);
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: { code: 'upstream_error' } });
    expect(told).toEqual([]);
  });
});
