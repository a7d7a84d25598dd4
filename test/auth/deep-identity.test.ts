/**
 * A verified identity source can still hand over `user_info` nested thousands deep (an IDENTITY_URL
 * service copying user data, a token minted by hand). Signing re-serializes it, so it must be
 * refused as that source's fault, never a 500 and never a signature.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '@pusher-auth-server/pusher-core';
import { deepUserInfoToken } from '../helpers/tokens.js';
import { testApp } from '../helpers/app.js';

const SECRET = 'test-jwt-secret-of-enough-length-32b';
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const ROUTES = [
  ['/pusher/auth', 'socket_id=1.1&channel_name=presence-lobby'],
  ['/pusher/auth', 'socket_id=1.1&channel_name=private-user-1'],
  ['/pusher/user-auth', 'socket_id=1.1'],
] as const;

describe('user_info nested past the limit, from a bearer JWT', () => {
  const t = testApp({ JWT_SECRET: SECRET }, () => NOW);
  const token = (depth: number) => deepUserInfoToken('1', depth, SECRET, NOW);

  it.each(ROUTES)('%s (%s) is a 401 for a token nesting 5,500 deep, never a 500 or a signature', async (path, body) => {
    const res = await request(t.app).post(path).set('Authorization', `Bearer ${token(5_500)}`).type('form').send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message: 'The bearer token is invalid or has expired.', details: { reason: 'invalid claim user_info' } } });
  });

  it('the same token at the limit is signed', async () => {
    const res = await request(t.app).post('/pusher/user-auth').set('Authorization', `Bearer ${token(MAX_JSON_DEPTH - 1)}`).type('form').send('socket_id=1.1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.user_data)).toMatchObject({ id: '1' });
  });
});

describe('user_info nested past the limit, from IDENTITY_URL', () => {
  let server: Server;
  let identityUrl = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"1","info":{"deep":${deepArrays(6_000)}}}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    identityUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/whoami`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each(ROUTES)('%s (%s) is a 502 naming the identity service, never a 500 or a signature', async (path, body) => {
    const t = testApp({ IDENTITY_URL: identityUrl, PUSHER_HOST: '127.0.0.1', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' });
    const res = await request(t.app).post(path).set('Cookie', 'session=ada').type('form').send(body);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: {
        code: 'upstream_error',
        message: 'The identity service answered 200 without a valid {"id"} object.',
        details: { source: 'IDENTITY_URL', status: 200 },
      },
    });
  });
});
