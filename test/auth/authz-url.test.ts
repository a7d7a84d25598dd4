/** AUTHZ_URL against a real local app server: what it is sent, each kind of answer, the cache. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChannelAuth, type DecisionEvent } from '@pusher-auth-server/channel-auth';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { channelRules } from '../../src/channels.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { expectedAuth } from '../helpers/tokens.js';

interface Asked {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const asked: Asked[] = [];
let appServer: Server;
let authzUrl: string;

const json = (status: number, body: string) => (res: import('node:http').ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
const ANSWERS: Record<string, (res: import('node:http').ServerResponse) => void> = {
  'private-orders-1': json(200, '{"allow":true}'),
  'private-refused': json(200, '{"allow":false,"reason":"not on the guest list"}'),
  'private-refused-quietly': json(200, '{"allow":false}'),
  'private-refused-at-length': json(200, JSON.stringify({ allow: false, reason: `line one\r\nline\u0000two\u202e ${'🚫'.repeat(300)}` })),
  'private-refused-unprintably': json(200, JSON.stringify({ allow: false, reason: '\u0007\t\u001b\u2028' })),
  'private-failing': json(500, '{"allow":true}'),
  'private-text': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('allow'),
  'private-oversized': json(200, `{"allow":true,"padding":"${'x'.repeat(65 * 1024)}"}`),
  'private-no-allow': json(200, '{"allowed":true}'),
  'private-string-allow': json(200, '{"allow":"true"}'),
  'presence-orders': json(200, '{"allow":true}'),
};

beforeAll(async () => {
  appServer = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      asked.push({ headers: req.headers, body });
      const { channel } = JSON.parse(body) as { channel: string };
      if (channel === 'private-slow') return void setTimeout(() => json(200, '{"allow":true}')(res), 5000).unref();
      (ANSWERS[channel] ?? json(404, '{}'))(res);
    });
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  authzUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/can-join`;
});
afterAll(() => {
  appServer.closeAllConnections();
  return new Promise((resolve) => appServer.close(resolve));
});

function setUp(env: Record<string, string> = {}, deps: Partial<AppDeps> = {}) {
  const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0', AUTHZ_URL: authzUrl, AUTHZ_TOKEN: 'app-secret-token', ...env });
  const app = createApp({ config, logger: createLogger('silent'), ...deps });
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (userId: string, name?: string) => {
    const key = `${userId}/${name ?? ''}`;
    if (!tokens.has(key)) {
      const login = request(app).post('/demo/login').send({ user_id: userId, ...(name ? { name } : {}) });
      tokens.set(key, login.then((res) => (res.body as { token: string }).token));
    }
    return tokens.get(key) as Promise<string>;
  };
  const join = async (channel: string, userId = '1', name?: string) =>
    request(app).post('/pusher/auth').set('Authorization', `Bearer ${await tokenFor(userId, name)}`).type('form').send(`socket_id=1.1&channel_name=${channel}`);
  return { config, app, join };
}

const couldNotDecide = (channel: string, reason: string, status?: number) => ({
  error: {
    code: 'upstream_error',
    message: `Could not decide whether you may join ${channel}.`,
    details: { rule: 'AUTHZ_URL', reason, ...(status === undefined ? {} : { status }) },
  },
});

describe('AUTHZ_URL decides channels no rule matches', () => {
  let t: ReturnType<typeof setUp>;
  beforeAll(() => {
    t = setUp();
  });

  it('allows on 200 {"allow":true}, after a POST of the user, channel and socket id with the token', async () => {
    asked.length = 0;
    const res = await t.join('private-orders-1', '1', 'Ada');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, '1.1:private-orders-1') });
    expect(asked).toHaveLength(1);
    expect(JSON.parse(asked[0]?.body ?? '')).toEqual({ user: { id: '1', info: { name: 'Ada' } }, channel: 'private-orders-1', socket_id: '1.1' });
    expect(asked[0]?.headers['content-type']).toBe('application/json');
    expect(asked[0]?.headers.authorization).toBe('Bearer app-secret-token');
  });

  it('sends no info for a user without it, and no Authorization without AUTHZ_TOKEN', async () => {
    const plain = setUp({ AUTHZ_TOKEN: '' });
    asked.length = 0;
    expect((await plain.join('private-orders-1', '2')).status).toBe(200);
    expect(JSON.parse(asked[0]?.body ?? '')).toEqual({ user: { id: '2' }, channel: 'private-orders-1', socket_id: '1.1' });
    expect(asked[0]?.headers.authorization).toBeUndefined();
  });

  it('a presence channel the app allows carries the verified member', async () => {
    const others = setUp({}, { rules: [] });
    const res = await others.join('presence-orders', '1', 'Ada');
    expect(res.status).toBe(200);
    expect(res.body.channel_data).toBe('{"user_id":"1","user_info":{"name":"Ada"}}');
  });

  it('refuses with the app\'s reason, or a default sentence, naming the rule AUTHZ_URL', async () => {
    const res = await t.join('private-refused');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'forbidden', message: 'You may not join private-refused.', details: { rule: 'AUTHZ_URL', reason: 'not on the guest list' } },
    });
    const quiet = await t.join('private-refused-quietly');
    expect(quiet.status).toBe(403);
    expect(quiet.body).toEqual({
      error: {
        code: 'forbidden',
        message: 'You may not join private-refused-quietly.',
        details: { rule: 'AUTHZ_URL', reason: 'the app at AUTHZ_URL refused' },
      },
    });
  });

  it('clips the app\'s reason to one line of 200 characters; an unprintable one becomes the default sentence', async () => {
    const refused = (channel: string, reason: string) => ({
      error: { code: 'forbidden', message: `You may not join ${channel}.`, details: { rule: 'AUTHZ_URL', reason } },
    });
    const long = await t.join('private-refused-at-length');
    expect(long.status).toBe(403);
    expect(long.body).toEqual(refused('private-refused-at-length', `line one  line two  ${'🚫'.repeat(179)}…`));
    const unprintable = await t.join('private-refused-unprintably');
    expect(unprintable.status).toBe(403);
    expect(unprintable.body).toEqual(refused('private-refused-unprintably', 'the app at AUTHZ_URL refused'));
  });

  it.each([
    ['private-failing', 'answered 500', 500],
    ['private-text', 'answered 200 with a body that is not JSON', 200],
    ['private-oversized', 'answered more than 64 KB', 200],
    ['private-no-allow', 'answered 200 without a boolean "allow"', 200],
    ['private-string-allow', 'answered 200 without a boolean "allow"', 200],
    ['private-unknown', 'answered 404', 404],
  ])('%s is a 502: %s', async (channel, reason, status) => {
    const res = await t.join(channel);
    expect(res.status).toBe(502);
    expect(res.body).toEqual(couldNotDecide(channel, reason, status));
  });

  it('no answer within the timeout is a 502', async () => {
    const res = await setUp({}, { decisionTimeoutMs: 300 }).join('private-slow');
    expect(res.status).toBe(502);
    expect(res.body).toEqual(couldNotDecide('private-slow', 'did not answer within 300 ms'));
  });

  it('an unreachable app is a 502', async () => {
    const gone = setUp({ AUTHZ_URL: 'http://127.0.0.1:1/can-join' });
    const res = await gone.join('private-orders-1');
    expect(res.status).toBe(502);
    expect(res.body).toEqual(couldNotDecide('private-orders-1', 'could not be reached'));
  });

  it('rules still decide what they match, without asking the app', async () => {
    asked.length = 0;
    expect((await t.join('private-user-1')).status).toBe(200);
    const res = await t.join('private-user-2');
    expect(res.status).toBe(403);
    expect(res.body.error.details.rule).toBe('private-user-{userId}');
    expect(asked).toHaveLength(0);
  });

  it('the decision observer and metrics see the rule AUTHZ_URL', async () => {
    const events: DecisionEvent[] = [];
    const observed = setUp({}, { onDecision: (event) => events.push(event) });
    await observed.join('private-refused');
    expect(events).toEqual([expect.objectContaining({ channel: 'private-refused', verdict: 'deny', rule: 'AUTHZ_URL', pattern: 'AUTHZ_URL', reason: 'not on the guest list' })]);
  });
});

describe('AUTHZ_CACHE_SECONDS', () => {
  it('by default asks every time', async () => {
    const t = setUp();
    asked.length = 0;
    await t.join('private-orders-1');
    await t.join('private-orders-1');
    expect(asked).toHaveLength(2);
  });

  it('remembers answers per user and channel until they expire by the clock, and forgets a user on demand', async () => {
    const clock = new ManualScheduler(Date.UTC(2026, 11, 1));
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const authz = createChannelAuth({ ...config.app, rules: channelRules, explain: true, authzUrl: { url: authzUrl, cacheSeconds: 30 }, clock: clock.now });
    const t = setUp({ AUTHZ_CACHE_SECONDS: '30' }, { channelAuth: authz, clock: clock.now });
    asked.length = 0;
    expect((await t.join('private-orders-1')).status).toBe(200);
    expect((await t.join('private-refused')).status).toBe(403);
    expect((await t.join('private-orders-1')).status).toBe(200);
    const again = await t.join('private-refused');
    expect(again.status).toBe(403);
    expect(again.body.error.details).toEqual({ rule: 'AUTHZ_URL', reason: 'not on the guest list' });
    expect(asked).toHaveLength(2);

    expect((await t.join('private-orders-1', '2')).status).toBe(200); // another user is asked about
    expect(asked).toHaveLength(3);

    clock.advance(29_999);
    await t.join('private-orders-1');
    expect(asked).toHaveLength(3);
    clock.advance(1);
    await t.join('private-orders-1');
    await t.join('private-orders-1', '2');
    expect(asked).toHaveLength(5);

    authz.forgetUser('1');
    await t.join('private-orders-1');
    await t.join('private-refused');
    expect(asked).toHaveLength(7);
    await t.join('private-orders-1', '2'); // user 2's answers stay
    expect(asked).toHaveLength(7);
  });

  it('never remembers a failure', async () => {
    const t = setUp({ AUTHZ_CACHE_SECONDS: '60' });
    asked.length = 0;
    expect((await t.join('private-failing')).status).toBe(502);
    expect((await t.join('private-failing')).status).toBe(502);
    expect(asked).toHaveLength(2);
  });
});
