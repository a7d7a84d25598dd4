import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { captureLogger, logLine } from '../helpers/logger.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { testApp } from '../helpers/app.js';
import { expectedAuth } from '../helpers/tokens.js';

const SECRET = 'test-jwt-secret-of-enough-length-32b';
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const clock = () => NOW;
const seconds = Math.floor(NOW / 1000);

async function hs256(claims: JWTPayload, secret = SECRET, exp = seconds + 600): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
}

const servers: Server[] = [];
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(() => {
  for (const server of servers) server.closeAllConnections();
  return Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const body = 'socket_id=1.1&channel_name=private-user-1';
const unauthenticated = (message: string) => ({ error: { code: 'unauthenticated', message } });
const INVALID_TOKEN = 'The bearer token is invalid or has expired.';

describe('bearer JWT with JWT_SECRET (HS256)', () => {
  const t = testApp({ JWT_SECRET: SECRET, JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'pusher-auth' }, clock);
  const ask = (token: string) => request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send(body);
  const valid = { sub: '1', iss: 'https://id.example', aud: 'pusher-auth' };

  it('a valid token for user 1 is signed', async () => {
    const res = await ask(await hs256(valid));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, '1.1:private-user-1') });
  });

  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const REFUSED_TOKENS: Array<[string, string, () => Promise<string>]> = [
    ['expired', 'expired', () => hs256(valid, SECRET, seconds - 1)],
    ['signed with another key', 'bad signature', () => hs256(valid, 'another-secret-another-secret-000')],
    ['without exp', 'missing claim exp', () => new SignJWT(valid).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET))],
    ['not valid yet', 'not valid yet', () => hs256({ ...valid, nbf: seconds + 60 })],
    ['from another issuer', 'wrong issuer', () => hs256({ ...valid, iss: 'https://evil.example' })],
    ['for another audience', 'wrong audience', () => hs256({ ...valid, aud: 'someone-else' })],
    ['without sub', 'missing claim sub', () => hs256({ iss: valid.iss, aud: valid.aud })],
    ['with a sub that cannot be a user id', 'invalid claim sub', () => hs256({ ...valid, sub: 'a b' })],
    ['with channels that are not a list', 'invalid claim channels', () => hs256({ ...valid, channels: 'private-*' })],
    ['alg none', 'wrong algorithm', async () => `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...valid, exp: seconds + 600 })}.`],
    ['garbage', 'malformed', async () => 'not.a.jwt'],
  ];

  it.each(REFUSED_TOKENS)('a token %s is 401, and says why where explaining is on: %s', async (_kind, reason, make) => {
    const res = await ask(await make());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message: INVALID_TOKEN, details: { reason } } });
  });

  it.each(REFUSED_TOKENS)('a token %s is a bare 401 with AUTH_EXPLAIN=false, and logs why at debug: %s', async (_kind, reason, make) => {
    const { logger, lines } = captureLogger('debug');
    const config = loadConfig({ JWT_SECRET: SECRET, JWT_ISSUER: valid.iss, JWT_AUDIENCE: valid.aud, AUTH_EXPLAIN: 'false', AUTH_RATE_LIMIT_PER_MINUTE: '0' });
    const quiet = createApp({ config, logger, clock });
    const token = await make();
    const res = await request(quiet).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthenticated(INVALID_TOKEN));
    expect(await logLine(lines, 'bearer token rejected')).toMatchObject({ level: 20, reason });
    const logged = JSON.stringify(lines.items);
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(logged).not.toContain(part);
  });

  it('a token verified once is refused once it expires (the clock moves, nothing is faked)', async () => {
    const movingClock = new ManualScheduler(NOW);
    const moving = testApp({ JWT_SECRET: SECRET }, movingClock.now);
    const token = await hs256({ sub: '1' }, SECRET, seconds + 60);
    const ask = () => request(moving.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send(body);
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    movingClock.advance(60_000);
    const late = await ask();
    expect(late.status).toBe(401);
    expect(late.body).toEqual({ error: { code: 'unauthenticated', message: INVALID_TOKEN, details: { reason: 'expired' } } });
  });

  it('takes user_info and channels from verified claims', async () => {
    const token = await hs256({ ...valid, sub: '7', user_info: { name: 'Team lead' }, channels: ['private-doc-*'] });
    const doc = await request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).send({ socket_id: '1.1', channel_name: 'private-doc-9' });
    expect(doc.status).toBe(200);
    const presence = await request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).send({ socket_id: '1.1', channel_name: 'presence-x' });
    expect(presence.body.channel_data).toBe('{"user_id":"7","user_info":{"name":"Team lead"}}');
  });
});

describe('bearer JWT from a JWKS (RS256), served by a real local server', () => {
  let jwksUrl: string;
  let sign: (claims: JWTPayload, alg?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksUrl = `${await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })))}/jwks.json`;
    sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime(seconds + 600).sign(privateKey);
  });

  it('accepts a token signed by the provider and refuses an HS256 token forged with the public key idea', async () => {
    const t = testApp({ JWKS_URL: jwksUrl, PUSHER_HOST: '127.0.0.1', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' }, clock);
    const good = await request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${await sign({ sub: '1' })}`).type('form').send(body);
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ auth: expectedAuth(t.config.app, '1.1:private-user-1') });
    const forged = await request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${await hs256({ sub: '1' })}`).type('form').send(body);
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual(unauthenticated(INVALID_TOKEN));
  });

  it('a JWKS endpoint that fails is a 502, not the token\'s fault', async () => {
    const broken = `${await serve((_req, res) => res.writeHead(500).end())}/jwks.json`;
    const t = testApp({ JWKS_URL: broken, PUSHER_HOST: '127.0.0.1', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' }, clock);
    const res = await request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${await sign({ sub: '1' })}`).type('form').send(body);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ error: { code: 'upstream_error', message: 'The JWKS endpoint failed.', details: { source: 'JWKS_URL' } } });
  });
});

describe('forward-auth with IDENTITY_URL, served by a real local server', () => {
  let identityUrl: string;
  const seen: Array<{ cookie?: string; authorization?: string }> = [];

  beforeAll(async () => {
    identityUrl = await serve((req, res) => {
      seen.push({ cookie: req.headers.cookie, authorization: req.headers.authorization });
      const session = /session=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
      if (session === 'ada') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1","info":{"name":"Ada"}}');
      if (session === 'broken') return res.writeHead(500).end('boom');
      if (session === 'weird') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"a b"}');
      if (session === 'slow') return setTimeout(() => res.writeHead(200).end('{"id":"1"}'), 3000).unref();
      res.writeHead(401).end();
    });
  });

  const remote = () => testApp({ IDENTITY_URL: `${identityUrl}/whoami`, PUSHER_HOST: '127.0.0.1', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' });
  const ask = (cookie: string) => request(remote().app).post('/pusher/auth').set('Cookie', cookie).type('form').send('socket_id=1.1&channel_name=presence-lobby');

  it('200 is the user, with the caller\'s cookie forwarded', async () => {
    const res = await ask('session=ada');
    expect(res.status).toBe(200);
    expect(res.body.channel_data).toBe('{"user_id":"1","user_info":{"name":"Ada"}}');
    expect(seen.at(-1)).toEqual({ cookie: 'session=ada', authorization: undefined });
  });

  it('no cookie and no Authorization is nobody, without asking the identity service', async () => {
    const before = seen.length;
    const res = await request(remote().app).post('/pusher/auth').type('form').send('socket_id=1.1&channel_name=presence-lobby');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthenticated('Nobody is identified: send a valid bearer token or session.'));
    expect(seen).toHaveLength(before);
  });

  it('401 means nobody', async () => {
    const res = await ask('session=nobody');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthenticated('The identity service does not know this session.'));
  });

  it('500 is a 502 that names the upstream status', async () => {
    const res = await ask('session=broken');
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { code: 'upstream_error', message: 'The identity service answered 500.', details: { source: 'IDENTITY_URL', status: 500 } },
    });
  });

  it('an answer that is not a valid user is a 502', async () => {
    const res = await ask('session=weird');
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe('The identity service answered 200 without a valid {"id"} object.');
  });

  it('no answer within 2 s is a 502', async () => {
    const res = await ask('session=slow');
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { code: 'upstream_error', message: 'The identity service did not answer within 2000 ms.', details: { source: 'IDENTITY_URL' } },
    });
  });
});
