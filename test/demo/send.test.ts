import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { connectClient, demoLogin, type TestClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';

let server: RunningServer;
let listener: TestClient;
let token1: string;

beforeAll(async () => {
  server = await startTestServer();
  token1 = await demoLogin(server.url, '1');
  listener = await connectClient(server.url, { userId: '1' });
});
afterAll(async () => {
  listener.disconnect();
  await server.close();
});

const send = (token: string | undefined, body: object, target = server.url) => {
  const req = request(target).post('/demo/send');
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
};

describe('POST /demo/send, against the real embedded server', () => {
  it.each(['private-user-1', 'private-encrypted-user-1', 'presence-lobby', 'news'])(
    'publishes to %s, which user 1 may join, and a subscriber receives it',
    async (channel) => {
      await listener.subscribe(channel);
      const inbox = listener.listen(channel, 'demo-event');
      const response = await send(token1, { channel, event: 'demo-event', data: { message: `hi ${channel}` } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ok: true });
      expect(await inbox.at(0)).toEqual({ message: `hi ${channel}` });
    },
  );

  it("sends to the caller's own #server-to-user channel, received after sign-in", async () => {
    // pusher-js subscribes to #server-to-user-1 once signed in; wait for the server to confirm it.
    const ready = new Promise<void>((resolve) =>
      listener.pusher.connection.bind('message', ({ event, channel }: { event: string; channel?: string }) => {
        if (event === 'pusher_internal:subscription_succeeded' && channel === '#server-to-user-1') resolve();
      }),
    );
    listener.pusher.signin();
    await withTimeout(ready, 5000, 'sign-in and the #server-to-user-1 subscription');
    const received = new Promise<unknown>((resolve) => listener.pusher.user.bind('notice', resolve));
    const response = await send(token1, { channel: '#server-to-user-1', event: 'notice', data: { message: 'for you' } });
    expect(response.status).toBe(200);
    expect(await withTimeout(received, 5000, 'the notice')).toEqual({ message: 'for you' });
  });

  it.each([
    ['private-user-2', 'private-user-{userId}', 'only user "2" may join this channel'],
    ['private-encrypted-user-2', 'private-encrypted-user-{userId}', 'only user "2" may join this channel'],
    ['#server-to-user-2', '#server-to-user-{userId}', 'only user "2" may receive these events'],
    ['private-orders', null, 'no rule matches'],
  ])('refuses %s with the same explanation as /pusher/auth', async (channel, rule, reason) => {
    const response = await send(token1, { channel, event: 'demo-event', data: 'x' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: { code: 'forbidden', message: `You may not send to ${channel}.`, details: { rule, reason } },
    });
  });

  it('needs a valid bearer token (401)', async () => {
    const unauthenticated = { error: { code: 'unauthenticated', message: 'Nobody is identified: send a valid bearer token or session.' } };
    const missing = await send(undefined, { channel: 'news', event: 'e', data: 1 });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual(unauthenticated);
    const invalid = await send('not-a-jwt', { channel: 'news', event: 'e', data: 1 });
    expect(invalid.status).toBe(401);
    expect(invalid.body.error.code).toBe('unauthenticated');
  });

  it.each([
    [{ event: 'e', data: 1 }, 'channel'],
    [{ channel: 'bad name', event: 'e', data: 1 }, 'channel'],
    [{ channel: 'news', event: 'pusher:subscribe', data: 1 }, 'event'],
    [{ channel: 'news', event: '', data: 1 }, 'event'],
    [{ channel: 'news', event: 'e' }, 'data'],
  ])('answers 400 for %j', async (body, field) => {
    const response = await send(token1, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('answers 413 when data is over 10 KB once serialized, and accepts exactly 10 KB', async () => {
    const response = await send(token1, { channel: 'news', event: 'e', data: 'x'.repeat(10_241) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect((await send(token1, { channel: 'news', event: 'e', data: 'x'.repeat(10_240) })).status).toBe(200);
  });

  it('accepts JSON only (415)', async () => {
    const response = await request(server.url)
      .post('/demo/send')
      .set('Authorization', `Bearer ${token1}`)
      .type('form')
      .send('channel=news&event=e&data=1');
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });
});

describe('POST /demo/send, configured otherwise', () => {
  it('leaves out the explanation when AUTH_EXPLAIN is off', async () => {
    const quiet = await startTestServer({ AUTH_EXPLAIN: 'false' });
    try {
      const response = await send(await demoLogin(quiet.url, '1'), { channel: 'private-user-2', event: 'e', data: 1 }, quiet.url);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ error: { code: 'forbidden', message: 'You may not send to private-user-2.' } });
    } finally {
      await quiet.close();
    }
  });

  it('is not mounted without DEMO_LOGIN (404)', async () => {
    const off = await startTestServer({ DEMO_LOGIN: 'false' });
    try {
      const response = await send(token1, { channel: 'news', event: 'e', data: 1 }, off.url);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: { code: 'not_found', message: 'No route for POST /demo/send.' } });
    } finally {
      await off.close();
    }
  });
});

describe('POST /demo/send with AUTHZ_URL', () => {
  it('asks the app about channels no rule matches: its refusal is a 403, its failure a 502', async () => {
    const app = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { channel, socket_id } = JSON.parse(body) as { channel: string; socket_id?: string };
        if (socket_id !== undefined) return void res.writeHead(400).end(); // no socket asks here
        if (channel === 'private-orders') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"allow":false,"reason":"no orders for you"}');
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const { port } = app.address() as AddressInfo;
    const asking = await startTestServer({ AUTHZ_URL: `http://127.0.0.1:${port}/can-join` });
    try {
      const token = await demoLogin(asking.url, '1');
      const refused = await send(token, { channel: 'private-orders', event: 'e', data: {} }, asking.url);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        error: { code: 'forbidden', message: 'You may not send to private-orders.', details: { rule: 'AUTHZ_URL', reason: 'no orders for you' } },
      });
      const failed = await send(token, { channel: 'private-broken', event: 'e', data: {} }, asking.url);
      expect(failed.status).toBe(502);
      expect(failed.body).toEqual({
        error: {
          code: 'upstream_error',
          message: 'Could not decide whether you may send to private-broken.',
          details: { rule: 'AUTHZ_URL', reason: 'answered 500', status: 500 },
        },
      });
    } finally {
      await asking.close();
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
