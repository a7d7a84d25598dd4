/** Rules that ask the app's data: async verdicts, failures and slowness are 502s, batches decided concurrently. */
import { channel, type ChannelRule } from '@pusher-auth-server/channel-auth';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../src/app.js';
import { channelRules } from '../../src/channels.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { captureLogger, logLine } from '../helpers/logger.js';
import { expectedAuth } from '../helpers/tokens.js';

const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0' });
const members = new Map([['42', new Set(['1'])]]);
const rooms = { isMember: async (roomId: string, userId: string) => members.get(roomId)?.has(userId) ?? false };
const never = new Promise<true>(() => {});

const rules: ChannelRule[] = [
  channel('private-room-{roomId}', async ({ user, params }) => (await rooms.isMember(params.roomId, user.id)) || 'not a member of this room'),
  channel('private-broken-{id}', () => Promise.reject(new Error('database is down'))),
  channel('private-throws-{id}', () => {
    throw new Error('bug in a rule');
  }),
  channel('private-slow-{id}', () => never),
  ...channelRules,
];

function appWith(deps: Partial<AppDeps> = {}) {
  return createApp({ config, logger: createLogger('silent'), rules, decisionTimeoutMs: 100, ...deps });
}

async function tokenFor(app: ReturnType<typeof createApp>, userId: string): Promise<string> {
  return ((await request(app).post('/demo/login').send({ user_id: userId })).body as { token: string }).token;
}

const join = async (app: ReturnType<typeof createApp>, channelName: string, userId = '1') =>
  request(app).post('/pusher/auth').set('Authorization', `Bearer ${await tokenFor(app, userId)}`).type('form').send(`socket_id=1.1&channel_name=${channelName}`);

const couldNotDecide = (channelName: string, rule: string, reason: string) => ({
  error: { code: 'upstream_error', message: `Could not decide whether you may join ${channelName}.`, details: { rule, reason } },
});

describe('async rules through /pusher/auth', () => {
  const app = appWith();

  it('a member is signed, a non-member refused with the rule\'s reason', async () => {
    const member = await join(app, 'private-room-42');
    expect(member.status).toBe(200);
    expect(member.body).toEqual({ auth: expectedAuth(config.app, '1.1:private-room-42') });
    const stranger = await join(app, 'private-room-42', '2');
    expect(stranger.status).toBe(403);
    expect(stranger.body).toEqual({
      error: {
        code: 'forbidden',
        message: 'You may not join private-room-42.',
        details: { rule: 'private-room-{roomId}', reason: 'not a member of this room' },
      },
    });
  });

  it('a rule that rejects or throws is a 502, never a signature, and the cause is logged', async () => {
    const { logger, lines } = captureLogger();
    const logged = appWith({ logger });
    const rejected = await join(logged, 'private-broken-1');
    expect(rejected.status).toBe(502);
    expect(rejected.body).toEqual(couldNotDecide('private-broken-1', 'private-broken-{id}', 'failed'));
    const line = await logLine(lines, 'channel authorization failed', (l) => l.channel === 'private-broken-1');
    expect(line).toMatchObject({ level: 40, userId: '1', rule: 'private-broken-{id}', verdict: 'error', err: { message: 'database is down' } });
    const thrown = await join(logged, 'private-throws-1');
    expect(thrown.status).toBe(502);
    expect(thrown.body).toEqual(couldNotDecide('private-throws-1', 'private-throws-{id}', 'failed'));
    const thrownLine = await logLine(lines, 'channel authorization failed', (l) => l.channel === 'private-throws-1');
    expect(thrownLine).toMatchObject({ err: { message: 'bug in a rule' } });
  });

  it('a rule slower than the timeout is a 502', async () => {
    const res = await join(app, 'private-slow-1');
    expect(res.status).toBe(502);
    expect(res.body).toEqual(couldNotDecide('private-slow-1', 'private-slow-{id}', 'did not decide within 100 ms'));
  });

  it('the default timeout is 2 s (one real wait)', async () => {
    const started = Date.now();
    const res = await join(createApp({ config, logger: createLogger('silent'), rules }), 'private-slow-1');
    const waited = Date.now() - started;
    expect(res.status).toBe(502);
    expect(res.body).toEqual(couldNotDecide('private-slow-1', 'private-slow-{id}', 'did not decide within 2000 ms'));
    expect(waited).toBeGreaterThanOrEqual(2000);
  });

  it('a batch decides its entries concurrently; a failing entry is a 502 for that entry only', async () => {
    let started = 0;
    let bothStarted: () => void = () => {};
    const together = new Promise<void>((resolve) => (bothStarted = resolve));
    // Each entry waits for the other to have started: decided one after the other, both time out.
    const waitForBoth = async () => {
      started += 1;
      if (started === 2) bothStarted();
      await together;
      return true as const;
    };
    const batchApp = appWith({ rules: [channel('private-pair-{n}', waitForBoth), ...rules], decisionTimeoutMs: 1000 });
    const res = await request(batchApp)
      .post('/pusher/auth')
      .set('Authorization', `Bearer ${await tokenFor(batchApp, '1')}`)
      .type('form')
      .send('socket_id=1.1&channel_name[0]=private-pair-1&channel_name[1]=private-pair-2&channel_name[2]=private-broken-1&channel_name[3]=private-user-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      'private-pair-1': { status: 200, data: { auth: expectedAuth(config.app, '1.1:private-pair-1') } },
      'private-pair-2': { status: 200, data: { auth: expectedAuth(config.app, '1.1:private-pair-2') } },
      'private-broken-1': {
        status: 502,
        error: {
          code: 'upstream_error',
          message: 'Could not decide whether you may join private-broken-1.',
          details: { rule: 'private-broken-{id}', reason: 'failed' },
        },
      },
      'private-user-1': { status: 200, data: { auth: expectedAuth(config.app, '1.1:private-user-1') } },
    });
  });
});
