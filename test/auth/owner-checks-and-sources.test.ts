/**
 * Issue 14's survivors: plausible bugs that once passed the whole suite. Each test here fails
 * with its bug planted (an owner check that ignores case, a claim glob without an anchor, an
 * invalid bearer token that falls through to IDENTITY_URL) and passes without it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoToken, testApp } from '../helpers/app.js';
import { expectedAuth } from '../helpers/tokens.js';

const SECRET = 'test-jwt-secret-of-enough-length-32b';
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = () => NOW;
const hs256 = (claims: JWTPayload, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(NOW / 1000) + 600).sign(new TextEncoder().encode(secret));

const join = (app: ReturnType<typeof testApp>['app'], token: string, channel: string) =>
  request(app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send(`socket_id=1.1&channel_name=${channel}`);

const forbidden = (channel: string, rule: string | null, reason: string) => ({
  error: { code: 'forbidden', message: `You may not join ${channel}.`, details: { rule, reason } },
});

describe('the owner check is case-sensitive (ids differing only in case are different users)', () => {
  const t = testApp({ PUSHER_ENCRYPTION_MASTER_KEY_BASE64: randomBytes(32).toString('base64') });

  it.each([
    ['ALICE', 'private-user-alice', 'private-user-{userId}'],
    ['alice', 'private-user-ALICE', 'private-user-{userId}'],
    ['Alice', 'private-user-alicE', 'private-user-{userId}'],
    ['ALICE', 'private-encrypted-user-alice', 'private-encrypted-user-{userId}'],
  ])('user %s may not join %s', async (userId, channel, rule) => {
    const res = await join(t.app, await demoToken(t, userId), channel);
    expect(res.status).toBe(403);
    const owner = channel.slice(channel.lastIndexOf('-') + 1);
    expect(res.body).toEqual(forbidden(channel, rule, `only user "${owner}" may join this channel`));
  });

  it('while each may join their own', async () => {
    for (const userId of ['alice', 'ALICE']) {
      const res = await join(t.app, await demoToken(t, userId), `private-user-${userId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ auth: expectedAuth(t.config.app, `1.1:private-user-${userId}`) });
    }
  });
});

describe('a claim glob is anchored at both ends', () => {
  const t = testApp({ JWT_SECRET: SECRET }, clock);

  it('a claim of private-doc-1 grants private-doc-1 and not private-doc-10', async () => {
    const token = await hs256({ sub: '7', channels: ['private-doc-1'] });
    expect((await join(t.app, token, 'private-doc-1')).status).toBe(200);
    const res = await join(t.app, token, 'private-doc-10');
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbidden('private-doc-10', null, 'no rule matches'));
  });

  it.each([
    ['doc-1', 'private-doc-1'],
    ['*-doc-1', 'private-doc-10'],
    ['private-doc-*-a', 'private-doc-1-a-b'],
    ['private-doc-*', 'private-private-doc-1'],
  ])('a claim of %s does not grant %s', async (glob, channel) => {
    const res = await join(t.app, await hs256({ sub: '7', channels: [glob] }), channel);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbidden(channel, null, 'no rule matches'));
  });
});

describe('an invalid bearer token beside a valid session cookie (JWT_SECRET and IDENTITY_URL both set)', () => {
  let identity: Server;
  let identityUrl: string;
  let asked = 0;

  beforeAll(async () => {
    // Would accept the cookie: a fall-through to it would identify user 1.
    identity = createServer((req, res) => {
      asked += 1;
      if (req.headers.cookie === 'session=ada') res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
      else res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
    identityUrl = `http://127.0.0.1:${(identity.address() as AddressInfo).port}/whoami`;
  });
  afterAll(() => new Promise((resolve) => identity.close(resolve)));

  it('the cookie alone is user 1 (the identity service works)', async () => {
    const t = testApp({ JWT_SECRET: SECRET, IDENTITY_URL: identityUrl }, clock);
    const before = asked;
    const res = await request(t.app).post('/pusher/auth').set('Cookie', 'session=ada').type('form').send('socket_id=1.1&channel_name=private-user-1');
    expect(res.status).toBe(200);
    expect(asked).toBe(before + 1);
  });

  it.each([
    ['signed with another key', 'bad signature', () => hs256({ sub: '1' }, 'another-secret-another-secret-000')],
    ['garbage', 'malformed', async () => 'not.a.jwt'],
  ])('a token %s is 401 (%s) and the identity service is never asked', async (_kind, reason, make) => {
    const t = testApp({ JWT_SECRET: SECRET, IDENTITY_URL: identityUrl }, clock);
    const before = asked;
    const res = await request(t.app)
      .post('/pusher/auth')
      .set('Authorization', `Bearer ${await make()}`)
      .set('Cookie', 'session=ada')
      .type('form')
      .send('socket_id=1.1&channel_name=private-user-1');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message: 'The bearer token is invalid or has expired.', details: { reason } } });
    expect(asked).toBe(before);
  });
});
