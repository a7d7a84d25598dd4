/**
 * Identity carries its expiry: a verified JWT's `exp`, or `expiresAt` in an IDENTITY_URL answer,
 * reaches `onGranted` with every signature (embedded mode closes the connection then). The demo
 * login can issue short-lived tokens (`expires_in`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '@pusher-auth-server/channel-auth';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const SECRET = 'test-jwt-secret-of-enough-length-32b';
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const seconds = Math.floor(NOW / 1000);
const body = 'socket_id=1.1&channel_name=private-user-1';

function appWith(env: Record<string, string>) {
  const grants: Grant[] = [];
  const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0', ...env });
  const app = createApp({ config, logger: createLogger('silent'), clock: () => NOW, onGranted: (grant) => grants.push(grant) });
  return { app, grants };
}

describe('a JWT', () => {
  const { app, grants } = appWith({ JWT_SECRET: SECRET });
  const token = (claims: JWTPayload, exp: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setExpirationTime(exp).sign(new TextEncoder().encode(SECRET));

  it('passes its exp to onGranted as the expiry, whatever an expiresAt claim says', async () => {
    for (const claims of [{}, { expiresAt: seconds + 99_999 }]) {
      const res = await request(app).post('/pusher/auth').set('Authorization', `Bearer ${await token(claims, seconds + 300)}`).type('form').send(body);
      expect(res.status).toBe(200);
    }
    expect(grants).toEqual([
      { socketId: '1.1', userId: '1', channel: 'private-user-1', expiresAt: seconds + 300 },
      { socketId: '1.1', userId: '1', channel: 'private-user-1', expiresAt: seconds + 300 },
    ]);
  });
});

describe('an IDENTITY_URL answer', () => {
  let server: Server;
  let identityUrl: string;
  const answers: Record<string, string> = {
    expiring: `{"id":"1","expiresAt":${seconds + 120}}`,
    lasting: '{"id":"1"}',
    text: '{"id":"1","expiresAt":"tomorrow"}',
    infinite: '{"id":"1","expiresAt":1e400}',
    nothing: '{"id":"1","expiresAt":null}',
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const session = /session=(\w+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const answer = answers[session];
      if (answer === undefined) return res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    identityUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/whoami`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const remote = () => appWith({ IDENTITY_URL: identityUrl, PUSHER_HOST: '127.0.0.1', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' });

  it('may carry expiresAt (seconds since the epoch), told to onGranted; without it there is no expiry', async () => {
    const { app, grants } = remote();
    for (const session of ['expiring', 'lasting']) {
      const res = await request(app).post('/pusher/auth').set('Cookie', `session=${session}`).type('form').send(body);
      expect(res.status).toBe(200);
    }
    expect(grants).toEqual([
      { socketId: '1.1', userId: '1', channel: 'private-user-1', expiresAt: seconds + 120 },
      { socketId: '1.1', userId: '1', channel: 'private-user-1' },
    ]);
  });

  it.each(['text', 'infinite', 'nothing'])('with an expiresAt that is not a finite number (%s) is a 502', async (session) => {
    const { app, grants } = remote();
    const res = await request(app).post('/pusher/auth').set('Cookie', `session=${session}`).type('form').send(body);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { code: 'upstream_error', message: 'The identity service answered 200 without a valid {"id"} object.', details: { source: 'IDENTITY_URL', status: 200 } },
    });
    expect(grants).toEqual([]);
  });
});

describe('POST /demo/login expires_in', () => {
  const { app, grants } = appWith({});

  it('issues a token that expires after expires_in seconds, one hour by default', async () => {
    for (const [expiresIn, lifetime] of [[10, 10], [3600, 3600], [undefined, 3600]] as const) {
      const res = await request(app).post('/demo/login').send({ user_id: '1', ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) });
      expect(res.status).toBe(200);
      expect(res.body.expires_at).toBe(seconds + lifetime);
      expect(decodeJwt(res.body.token as string).exp).toBe(seconds + lifetime);
    }
    const { token } = (await request(app).post('/demo/login').send({ user_id: '1', expires_in: 30 })).body as { token: string };
    await request(app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send(body).expect(200);
    expect(grants.at(-1)).toEqual({ socketId: '1.1', userId: '1', channel: 'private-user-1', expiresAt: seconds + 30 });
  });

  it.each([9, 3601, 10.5, '60', null])('refuses expires_in %j with 400', async (expiresIn) => {
    const res = await request(app).post('/demo/login').send({ user_id: '1', expires_in: expiresIn });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_request',
        message: 'Invalid request: check expires_in.',
        details: [{ field: 'expires_in', problem: 'must be a whole number of seconds, 10..3600' }],
      },
    });
  });
});
