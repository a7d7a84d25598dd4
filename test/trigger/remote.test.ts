/**
 * Remote mode against a real, separate Pusher-protocol server: a second instance in embedded mode
 * on its own port. The auth server under test publishes to it and hands its address to pusher-js.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { connectClient, type TestClient } from '../helpers/pusher-client.js';
import { appEnv, startTestServer, type TestEnv } from '../helpers/server.js';

const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
let upstream: RunningServer;
const started: RunningServer[] = [];
const clients: TestClient[] = [];

function remoteEnv(overrides: TestEnv = {}): TestEnv {
  return {
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(upstream.port),
    PUSHER_USE_TLS: 'false',
    ...appEnv(upstream),
    PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_KEY,
    JWT_SECRET: 'remote-mode-test-jwt-secret-0123456789',
    DEMO_LOGIN: 'true',
    TRIGGER_TOKEN: 'remote-trigger-token',
    ...overrides,
  };
}

async function authServer(overrides: TestEnv = {}): Promise<RunningServer> {
  const server = await startTestServer(remoteEnv(overrides));
  started.push(server);
  return server;
}

async function trigger(server: RunningServer, body: unknown): Promise<{ status: number; body: unknown; ms: number }> {
  const startedAt = performance.now();
  const res = await fetch(`${server.url}/trigger`, {
    method: 'POST',
    headers: { authorization: 'Bearer remote-trigger-token', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), ms: performance.now() - startedAt };
}

beforeAll(async () => {
  upstream = await startTestServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(started.splice(0).map((s) => s.close()));
});
afterAll(() => upstream.close());

describe('remote mode (PUSHER_HOST) against a separate Pusher-protocol server', () => {
  it('publishes what a pusher-js client, configured from /pusher/config, receives', async () => {
    const server = await authServer();
    expect(server.config.mode).toBe('remote');
    const client = await connectClient(server.url, { userId: '1' });
    clients.push(client);
    await client.subscribe('private-user-1');
    await client.subscribe('private-encrypted-user-1');
    const [plain, sealed] = [client.listen('private-user-1', 'private-event'), client.listen('private-encrypted-user-1', 'e')];
    const answer = await trigger(server, { channel: 'private-user-1', event: 'private-event', data: { message: 'hi' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true });
    expect(await plain.at(0)).toEqual({ message: 'hi' });
    expect((await trigger(server, { channel: 'private-encrypted-user-1', event: 'e', data: [42] })).status).toBe(200);
    expect(await sealed.at(0)).toEqual([42]);
  });

  it('answers 502 with the upstream status and reason when the secret is wrong, never a secret', async () => {
    const server = await authServer({ PUSHER_SECRET: 'not-the-upstream-secret' });
    const answer = await trigger(server, { channel: 'news', event: 'e', data: 1 });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: {
        code: 'upstream_error',
        message: 'The Pusher service refused the event (HTTP 401).',
        details: { status: 401, reason: expect.stringMatching(/^Invalid signature: you should have sent HmacSHA256Hex\(/) },
      },
    });
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('not-the-upstream-secret');
    expect(text).not.toContain(upstream.config.app.secret);
  });

  it('answers 502 with the upstream status when the app id is unknown upstream', async () => {
    const server = await authServer({ PUSHER_APP_ID: 'no-such-app' });
    const answer = await trigger(server, { channel: 'news', event: 'e', data: 1 });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: {
        code: 'upstream_error',
        message: 'The Pusher service refused the event (HTTP 404).',
        details: { status: 404, reason: 'Unknown app id: no-such-app' },
      },
    });
  });

  it('answers 502 (refused at once, not the 504 of a timeout) when the upstream is stopped', async () => {
    const gone = await startTestServer();
    const port = gone.port;
    await gone.close();
    const server = await authServer({ PUSHER_PORT: String(port) });
    const answer = await trigger(server, { channel: 'news', event: 'e', data: 1 });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({
      error: {
        code: 'upstream_error',
        message: 'The Pusher service could not be reached (ECONNREFUSED).',
        details: { status: null, reason: 'connection failed: ECONNREFUSED' },
      },
    });
  });
});
