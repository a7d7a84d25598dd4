/** Curl-shaped requests to /trigger and /trigger/batch: every refusal, its status and its whole body. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';

let server: RunningServer;
let token: string;
const trigger = (body: unknown) =>
  request(server.url).post('/trigger').set('authorization', `Bearer ${token}`).send(body as object);
const batch = (body: unknown) =>
  request(server.url).post('/trigger/batch').set('authorization', `Bearer ${token}`).send(body as object);
const ok = { channel: 'private-user-1', event: 'private-event', data: { message: 'hi' } };

beforeAll(async () => {
  server = await startTestServer();
  token = server.config.triggerTokens[0] as string;
});
afterAll(() => server.close());

describe('the trigger token', () => {
  it('is required: 401, with WWW-Authenticate', async () => {
    const res = await request(server.url).post('/trigger').send(ok);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({
      error: { code: 'unauthenticated', message: 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.' },
    });
  });

  const NOT_VALID = 'The trigger token is not valid.';
  const MISSING = 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.';
  it.each([
    ['a wrong token', () => `Bearer ${'x'.repeat(48)}`, NOT_VALID],
    ['a prefix of the token', () => `Bearer ${token.slice(0, -1)}`, NOT_VALID],
    ['the token with more after it', () => `Bearer ${token}x`, NOT_VALID],
    ['the token without the Bearer scheme', () => token, MISSING],
    ['Basic credentials', () => 'Basic dXNlcjpwYXNz', MISSING],
  ])('refuses %s with 401', async (_label, header, message) => {
    const res = await request(server.url).post('/trigger/batch').set('authorization', header()).send({ batch: [ok] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message } });
  });

  it('is checked before the content type and the size (docs/design.md#order-of-checks)', async () => {
    const res = await request(server.url).post('/trigger').set('content-type', 'text/plain').send('x'.repeat(100_000));
    expect(res.status).toBe(401);
  });

  it('accepts every token of a comma-separated list (rotation)', async () => {
    const rotating = await startTestServer({ TRIGGER_TOKEN: 'old-token-12345678,new-token-12345678' });
    try {
      for (const t of ['old-token-12345678', 'new-token-12345678']) {
        const res = await request(rotating.url).post('/trigger').set('authorization', `Bearer ${t}`).send(ok);
        expect(res.status, t).toBe(200);
        expect(res.body).toEqual({ ok: true });
      }
      const wrong = await request(rotating.url).post('/trigger').set('authorization', 'Bearer old-token-12345678,new-token-12345678').send(ok);
      expect(wrong.status).toBe(401);
    } finally {
      await rotating.close();
    }
  });
});

describe('content type and size', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'])('refuses %s with 415', async (type) => {
    const res = await request(server.url).post('/trigger').set('authorization', `Bearer ${token}`).set('content-type', type).send(JSON.stringify(ok));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('names the expected type in the 415', async () => {
    const res = await request(server.url).post('/trigger').set('authorization', `Bearer ${token}`).set('content-type', 'text/plain').send('{}');
    expect(res.body).toEqual({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' } });
  });

  it('refuses a /trigger body over 64 KB with 413, before looking at it', async () => {
    const res = await trigger({ channel: '#bad', event: 'e', data: 'x'.repeat(64 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
  });

  it('allows a /trigger/batch body up to 256 KB, and refuses one over it', async () => {
    const item = (n: number) => ({ channel: `news-${n}`, event: 'e', data: 'x'.repeat(10_000) });
    const fits = await batch({ batch: Array.from({ length: 10 }, (_, n) => item(n)) }); // ~100 KB
    expect(fits.status).toBe(200);
    const over = await batch({ batch: [{ channel: 'news', event: 'e', data: 'x'.repeat(256 * 1024) }] });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await request(server.url).post('/trigger').set('authorization', `Bearer ${token}`).set('content-type', 'application/json').send('{"channel":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
  });
});

describe('remote mode', () => {
  const remote = {
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: '9',
    PUSHER_USE_TLS: 'false',
    PUSHER_APP_ID: 'remote-app',
    PUSHER_KEY: 'remote-key',
    PUSHER_SECRET: 'remote-secret',
    JWT_SECRET: 'a-jwt-secret-long-enough-for-hs256',
  };

  it('without TRIGGER_TOKEN, answers 503 trigger_disabled on both routes, token or not', async () => {
    const off = await startTestServer(remote);
    try {
      for (const path of ['/trigger', '/trigger/batch']) {
        const res = await request(off.url).post(path).set('authorization', 'Bearer anything').send(ok);
        expect(res.status, path).toBe(503);
        expect(res.body).toEqual({
          error: { code: 'trigger_disabled', message: 'Publishing is disabled: no TRIGGER_TOKEN is configured.' },
        });
      }
    } finally {
      await off.close();
    }
  });

  it('refuses private-encrypted channels when no master key is configured', async () => {
    const noKey = await startTestServer({ ...remote, TRIGGER_TOKEN: 'remote-trigger-token' });
    try {
      const res = await request(noKey.url)
        .post('/trigger')
        .set('authorization', 'Bearer remote-trigger-token')
        .send({ channel: 'private-encrypted-user-1', event: 'e', data: 1 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: {
          code: 'invalid_request',
          message: 'Invalid request: check channel.',
          details: [{ field: 'channel', problem: 'is private-encrypted, but this server has no PUSHER_ENCRYPTION_MASTER_KEY_BASE64' }],
        },
      });
    } finally {
      await noKey.close();
    }
  });
});
