/** Every API answer, of every route family, carries nosniff and no-store (docs/design.md#api-headers). */
import Pusher from 'pusher';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';

let server: RunningServer;
let demoToken: string;
let loginHeaders: Headers;

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '1' });
  const login = await fetch(`${server.url}/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user_id":"1"}' });
  loginHeaders = login.headers;
  demoToken = ((await login.json()) as { token: string }).token;
});
afterAll(() => server.close());

type Bearer = 'demo' | 'trigger' | undefined;
const post = (path: string, body: object, bearer?: Bearer) => () => {
  const req = request(server.url).post(path);
  if (bearer === 'demo') req.set('authorization', `Bearer ${demoToken}`);
  if (bearer === 'trigger') req.set('authorization', `Bearer ${server.config.triggerTokens[0]}`);
  return req.send(body);
};
const get = (path: string) => () => request(server.url).get(path);
const JSON_TYPE = 'application/json';

// In order: the auth rate limit (1 a minute) lets the first auth request through only; /demo/login
// has its own budget, spent in beforeAll.
const ROUTES: Array<[string, number, string, () => request.Test]> = [
  ['channel auth', 200, JSON_TYPE, post('/pusher/auth', { socket_id: '1.1', channel_name: 'private-user-1' }, 'demo')],
  ['channel auth, rate limited', 429, JSON_TYPE, post('/pusher/auth', { socket_id: '1.1', channel_name: 'private-user-1' }, 'demo')],
  ['user auth', 429, JSON_TYPE, post('/pusher/user-auth', { socket_id: '1.1' }, 'demo')],
  ['trigger', 200, JSON_TYPE, post('/trigger', { channel: 'news', event: 'e', data: 1 }, 'trigger')],
  ['trigger batch', 200, JSON_TYPE, post('/trigger/batch', { batch: [{ channel: 'news', event: 'e', data: 1 }] }, 'trigger')],
  ['trigger without a token', 401, JSON_TYPE, post('/trigger', {})],
  ['trigger, an invalid event', 400, JSON_TYPE, post('/trigger', { channel: 'news' }, 'trigger')],
  ['trigger, a text body', 415, JSON_TYPE, () => request(server.url).post('/trigger').set('authorization', `Bearer ${server.config.triggerTokens[0]}`).set('content-type', 'text/plain').send('x')],
  ['webhooks', 401, JSON_TYPE, post('/pusher/webhooks', {})],
  ['demo login, rate limited', 429, JSON_TYPE, post('/demo/login', { user_id: '2' })],
  ['demo send', 200, JSON_TYPE, post('/demo/send', { channel: 'news', event: 'e', data: 1 }, 'demo')],
  ['config', 200, JSON_TYPE, get('/pusher/config')],
  ['healthz', 200, JSON_TYPE, get('/healthz')],
  ['a 404', 404, JSON_TYPE, get('/nothing/here')],
  ['a 400', 400, JSON_TYPE, () => request(server.url).post('/trigger').set('authorization', `Bearer ${server.config.triggerTokens[0]}`).set('content-type', JSON_TYPE).send('{')],
  // The embedded HTTP API answers its refusals as Pusher does, in text/plain.
  ['embedded HTTP API, unsigned', 401, 'text/plain', get('/apps/local/channels')],
  ['embedded HTTP API, unknown path', 404, 'text/plain', get('/apps/')],
];

describe('API answers', () => {
  it.each(ROUTES)('%s (%i) carries X-Content-Type-Options: nosniff and Cache-Control: no-store', async (_name, status, type, call) => {
    const answer = await call();
    expect([answer.status, answer.type]).toEqual([status, type]);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('demo login (200) carries them', () => {
    expect(loginHeaders.get('x-content-type-options')).toBe('nosniff');
    expect(loginHeaders.get('cache-control')).toBe('no-store');
  });

  it('a signed embedded HTTP API answer carries them too', async () => {
    const { appId, key, secret } = server.config.app;
    const sdk = new Pusher({ appId, key, secret, host: '127.0.0.1', port: String(server.port), useTLS: false });
    const answer = await sdk.get({ path: '/channels' });
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, JSON_TYPE]);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});
