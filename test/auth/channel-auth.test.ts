import { createHash } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoToken, testApp, type TestApp } from '../helpers/app.js';
import { expectedAuth } from '../helpers/tokens.js';

let t: TestApp;
let ada: string;
let bob: string;

beforeAll(async () => {
  t = testApp();
  ada = await demoToken(t, '1', 'Ada');
  bob = await demoToken(t, '2');
});

const auth = (token: string | undefined, body: string | object, path = '/pusher/auth') => {
  const req = request(t.app).post(path);
  if (token) req.set('Authorization', `Bearer ${token}`);
  return typeof body === 'string' ? req.type('form').send(body) : req.send(body);
};

describe('POST /pusher/auth', () => {
  it('signs private-user-1 for user 1, form-encoded as pusher-js sends it', async () => {
    const res = await auth(ada, 'socket_id=123.456&channel_name=private-user-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, '123.456:private-user-1') });
  });

  it('refuses private-user-2 for user 1 with the rule and the reason', async () => {
    const res = await auth(ada, 'socket_id=123.456&channel_name=private-user-2');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        code: 'forbidden',
        message: 'You may not join private-user-2.',
        details: { rule: 'private-user-{userId}', reason: 'only user "2" may join this channel' },
      },
    });
  });

  it('refuses a channel no rule matches', async () => {
    const res = await auth(ada, { socket_id: '1.2', channel_name: 'private-orders' });
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ rule: null, reason: 'no rule matches' });
    expect(res.body).not.toHaveProperty('auth');
  });

  it('answers 401 when nobody is identified', async () => {
    const res = await auth(undefined, 'socket_id=123.456&channel_name=private-user-1');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'unauthenticated', message: 'Nobody is identified: send a valid bearer token or session.' },
    });
  });

  it('accepts JSON and the /broadcasting/auth alias', async () => {
    const res = await auth(bob, { socket_id: '9.9', channel_name: 'private-user-2' }, '/broadcasting/auth');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, '9.9:private-user-2') });
  });

  it('presence: the member is the verified user, whatever the body claims', async () => {
    const res = await auth(
      ada,
      'socket_id=1.1&channel_name=presence-lobby&user_id=2&user_info=%7B%22name%22%3A%22Mallory%22%7D' +
        '&channel_data=%7B%22user_id%22%3A%222%22%7D',
    );
    expect(res.status).toBe(200);
    const channelData = '{"user_id":"1","user_info":{"name":"Ada"}}';
    expect(res.body).toEqual({
      auth: expectedAuth(t.config.app, `1.1:presence-lobby:${channelData}`),
      channel_data: channelData,
    });
  });

  it('presence without a name carries no user_info; JSON body fields are ignored too', async () => {
    const res = await auth(bob, { socket_id: '1.1', channel_name: 'presence-lobby', user_id: '1', channel_data: '{"user_id":"1"}' });
    expect(res.status).toBe(200);
    expect(res.body.channel_data).toBe('{"user_id":"2"}');
    expect(res.body.auth).toBe(expectedAuth(t.config.app, '1.1:presence-lobby:{"user_id":"2"}'));
  });

  it('private-encrypted: the shared secret derives from the master key', async () => {
    const res = await auth(ada, 'socket_id=1.1&channel_name=private-encrypted-user-1');
    expect(res.status).toBe(200);
    const masterKey = t.config.encryptionMasterKey as Buffer;
    const shared = createHash('sha256').update(Buffer.concat([Buffer.from('private-encrypted-user-1'), masterKey])).digest('base64');
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, '1.1:private-encrypted-user-1'), shared_secret: shared });
  });

  it('refuses private-encrypted-user-2 to user 1', async () => {
    const res = await auth(ada, 'socket_id=1.1&channel_name=private-encrypted-user-2');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('answers the pusher-js-auth batch form entry by entry, a refusal explained as a single answer is', async () => {
    const res = await auth(
      ada,
      '&socket_id=1.2&channel_name[0]=private-user-1&channel_name[1]=private-user-2&channel_name[2]=public-news',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      'private-user-1': { status: 200, data: { auth: expectedAuth(t.config.app, '1.2:private-user-1') } },
      'private-user-2': {
        status: 403,
        error: {
          code: 'forbidden',
          message: 'You may not join private-user-2.',
          details: { rule: 'private-user-{userId}', reason: 'only user "2" may join this channel' },
        },
      },
      'public-news': {
        status: 400,
        error: {
          code: 'invalid_request',
          message: 'channel_name must start with private-, presence- or private-encrypted-: other channels need no authorization',
        },
      },
    });
  });

  it('refuses, before identity, a batch whose every name is invalid', async () => {
    const res = await auth(undefined, 'socket_id=1.2&channel_name[0]=news&channel_name[1]=bad%20name');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check channel_name.',
      details: [{ field: 'channel_name', problem: 'no channel of the batch can be authorized' }],
    });
  });

  it('refuses a batch of 101 channels', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `channel_name[${i}]=private-user-1`).join('&');
    const res = await auth(ada, `socket_id=1.2&${names}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check channel_name.',
      details: [{ field: 'channel_name', problem: 'a batch holds 1..100 channels' }],
    });
  });

  it('hides the rule and reason when AUTH_EXPLAIN is off', async () => {
    const quiet = testApp({ AUTH_EXPLAIN: 'false' });
    const token = await demoToken(quiet, '1');
    const res = await request(quiet.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).type('form').send('socket_id=1.1&channel_name=private-user-2');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'forbidden', message: 'You may not join private-user-2.' } });
  });
});

describe('POST /pusher/user-auth', () => {
  it('signs the verified user for pusher.signin(), with a string id', async () => {
    const res = await auth(ada, 'socket_id=5.6&user_id=2', '/pusher/user-auth');
    expect(res.status).toBe(200);
    const userData = '{"id":"1","user_info":{"name":"Ada"}}';
    expect(res.body).toEqual({ auth: expectedAuth(t.config.app, `5.6::user::${userData}`), user_data: userData });
  });

  it('has the /broadcasting/user-auth alias and needs an identity', async () => {
    const res = await auth(undefined, 'socket_id=5.6', '/broadcasting/user-auth');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('validates socket_id', async () => {
    const res = await auth(ada, 'socket_id=5.', '/pusher/user-auth');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check socket_id.',
      details: [{ field: 'socket_id', problem: 'must look like 1234.5678' }],
    });
  });
});

describe('POST /demo/login', () => {
  it('issues a token and names the user', async () => {
    const res = await request(t.app).post('/demo/login').send({ user_id: '42', name: 'Grace' });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: '42', info: { name: 'Grace' } });
    expect(res.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses an id that could not appear in a channel name', async () => {
    const res = await request(t.app).post('/demo/login').send({ user_id: 'a b' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details[0].field).toBe('user_id');
  });

  it('is a 404 when DEMO_LOGIN is off', async () => {
    const res = await request(testApp({ DEMO_LOGIN: 'false' }).app).post('/demo/login').send({ user_id: '1' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for POST /demo/login.' } });
  });
});
