/**
 * POST /users/:userId/events through the real server: pusher-js signed in as that user receives the
 * event on `pusher.user.bind`, another signed-in user does not; every refusal as /trigger's.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import type { TestClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { signedInClient } from '../helpers/signed-in.js';
import { Inbox, withTimeout } from '../helpers/wait.js';

let server: RunningServer;
let token: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  token = server.config.triggerTokens[0] as string;
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.close();
});

const send = (userId: string, body: unknown, authorization = `Bearer ${token}`) =>
  request(server.url).post(`/users/${userId}/events`).set('authorization', authorization).send(body as object);

/** A client signed in as `userId`, once its `#server-to-user-<id>` subscription is in place, and what it receives. */
async function userInbox(userId: string, event: string): Promise<Inbox<unknown>> {
  const client = await signedInClient(server.url, userId);
  clients.push(client);
  const inbox = new Inbox<unknown>();
  client.pusher.user.bind(event, (data: unknown) => inbox.push(data));
  if (!client.pusher.user.serverToUserChannel?.subscribed) {
    await withTimeout(
      new Promise<void>((resolve) => client.pusher.user.serverToUserChannel?.bind('pusher:subscription_succeeded', () => resolve())),
      5000,
      `#server-to-user-${userId} to be subscribed`,
    );
  }
  return inbox;
}

describe('POST /users/:userId/events', () => {
  it("delivers to that user's signed-in connections only", async () => {
    const [one, two] = await Promise.all([userInbox('user-1', 'notice'), userInbox('user-2', 'notice')]);
    const sent = await send('user-1', { event: 'notice', data: { text: 'for one' } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ ok: true });
    expect(await one.at(0)).toEqual({ text: 'for one' });
    // Sent after the first was fanned out: once user 2 has this one, it would have had the first too.
    expect((await send('user-2', { event: 'notice', data: 'for two' })).status).toBe(200);
    expect(await two.at(0)).toBe('for two');
    expect(two.items).toEqual(['for two']);
    expect(one.items).toEqual([{ text: 'for one' }]);
  });

  it('refuses without the token (401) and with a wrong one (401), before the content type', async () => {
    const missing = await request(server.url).post('/users/1/events').set('content-type', 'text/plain').send('x');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { code: 'unauthenticated', message: 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.' } });
    const wrong = await send('1', { event: 'e', data: 1 }, `Bearer ${'w'.repeat(48)}`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'unauthenticated', message: 'The trigger token is not valid.' } });
  });

  it('refuses another content type (415) and a body over 64 KB (413)', async () => {
    const text = await request(server.url).post('/users/1/events').set('authorization', `Bearer ${token}`).set('content-type', 'text/plain').send('{}');
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const big = await send('1', { event: 'e', data: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
  });

  it('refuses an invalid user id with 400', async () => {
    const res = await send('a%20b', { event: 'e', data: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_request',
        message: 'Invalid request: check userId.',
        details: [{ field: 'userId', problem: 'must be 1..128 characters of A-Z a-z 0-9 _ - = @ , . ;' }],
      },
    });
  });

  it.each([
    ['no event', { data: 1 }, 'event', 'is required, as a string'],
    ['a reserved event name', { event: 'pusher:x', data: 1 }, 'event', expect.stringContaining('pusher:')],
    ['no data', { event: 'e' }, 'data', 'is required (any JSON value)'],
    ['an unknown field', { event: 'e', data: 1, channel: 'news' }, 'body', 'unknown field channel: the fields are event, data'],
  ])('refuses %s with 400, by /trigger rules', async (_label, body, field, problem) => {
    const res = await send('1', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_request', details: [{ field, problem }] } });
  });

  it('refuses data over 10,240 bytes (413) and accepts exactly 10,240', async () => {
    const over = await send('1', { event: 'e', data: 'x'.repeat(10_241) });
    expect(over.status).toBe(413);
    expect(over.body).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'The event data is over 10240 bytes.',
        details: [{ field: 'data', problem: 'is 10241 bytes once serialized; at most 10240 are allowed' }],
      },
    });
    expect((await send('1', { event: 'e', data: 'x'.repeat(10_240) })).status).toBe(200);
  });

  it('answers 503 trigger_disabled when no TRIGGER_TOKEN is configured', async () => {
    const remote = await startTestServer({ PUSHER_HOST: '127.0.0.1', PUSHER_USE_TLS: 'false', PUSHER_APP_ID: '1', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) });
    try {
      const res = await request(remote.url).post('/users/1/events').set('authorization', `Bearer ${token}`).send({ event: 'e', data: 1 });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: { code: 'trigger_disabled', message: 'Publishing is disabled: no TRIGGER_TOKEN is configured.' } });
    } finally {
      await remote.close();
    }
  });
});
