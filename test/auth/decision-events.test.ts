/** Every channel and user authorization reaches the decision observer, with nothing secret in it. */
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { DecisionEvent } from '@pusher-auth-server/channel-auth';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const events: DecisionEvent[] = [];
const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0' });
const app = createApp({ config, logger: createLogger('silent'), clock: () => NOW, onDecision: (event) => events.push(event) });
let token: string;

beforeAll(async () => {
  token = ((await request(app).post('/demo/login').send({ user_id: '1', name: 'Ada' })).body as { token: string }).token;
});

const post = (path: string, body: object) => request(app).post(path).set('Authorization', `Bearer ${token}`).send(body);

describe('the decision observer', () => {
  it('is told an allowed channel, a refused one and a sign-in, in this exact shape', async () => {
    events.length = 0;
    const allowed = await post('/pusher/auth', { socket_id: '1.1', channel_name: 'presence-lobby' });
    const refused = await post('/pusher/auth', { socket_id: '1.1', channel_name: 'private-user-2' });
    const signedIn = await post('/pusher/user-auth', { socket_id: '1.1' });
    expect([allowed.status, refused.status, signedIn.status]).toEqual([200, 403, 200]);
    expect(events).toEqual([
      {
        time: NOW,
        userId: '1',
        channel: 'presence-lobby',
        kind: 'presence',
        verdict: 'allow',
        rule: 'presence-{room}',
        pattern: 'presence-{room}',
        reason: null,
        durationMs: expect.any(Number),
      },
      {
        time: NOW,
        userId: '1',
        channel: 'private-user-2',
        kind: 'private',
        verdict: 'deny',
        rule: 'private-user-{userId}',
        pattern: 'private-user-{userId}',
        reason: 'only user "2" may join this channel',
        durationMs: expect.any(Number),
      },
      { time: NOW, userId: '1', channel: null, kind: 'user', verdict: 'allow', rule: null, pattern: null, reason: null, durationMs: expect.any(Number) },
    ]);
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
    const told = JSON.stringify(events);
    for (const secret of [token, config.app.secret, allowed.body.auth, signedIn.body.auth]) expect(told).not.toContain(secret);
  });

  it('a channel no rule matches has neither rule nor pattern, and says so', async () => {
    events.length = 0;
    const res = await post('/pusher/auth', { socket_id: '1.1', channel_name: 'private-orders' });
    expect(res.status).toBe(403);
    expect(events).toEqual([expect.objectContaining({ verdict: 'deny', rule: null, pattern: null, reason: 'no rule matches' })]);
  });
});

describe('an observer that throws', () => {
  it('does not turn an allow or a refusal into a 500', async () => {
    const failing = createApp({
      config,
      logger: createLogger('silent'),
      clock: () => NOW,
      onDecision: () => {
        throw new Error('observer bug');
      },
    });
    const login = await request(failing).post('/demo/login').send({ user_id: '1' });
    const ask = (body: object) => request(failing).post('/pusher/auth').set('Authorization', `Bearer ${login.body.token}`).send(body);
    const allowed = await ask({ socket_id: '1.1', channel_name: 'private-user-1' });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ auth: expect.stringMatching(/^local-key:[0-9a-f]{64}$/) });
    const refused = await ask({ socket_id: '1.1', channel_name: 'private-user-2' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: 'You may not join private-user-2.' });

  });
});
