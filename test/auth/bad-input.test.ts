import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoToken, testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = testApp();
  token = await demoToken(t, '1');
});

const post = () => request(t.app).post('/pusher/auth').set('Authorization', `Bearer ${token}`);

const socketProblem = {
  code: 'invalid_request',
  message: 'Invalid request: check socket_id.',
  details: [{ field: 'socket_id', problem: 'must look like 1234.5678' }],
};

describe('bad input gets a JSON error and never a signature', () => {
  it.each(['1.', '.1', '1.1\n', 'abc', '1-1', ''])('socket_id %j', async (socketId) => {
    const res = await post().send({ socket_id: socketId, channel_name: 'private-user-1' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: socketProblem });
  });

  it('a missing socket_id', async () => {
    const res = await post().type('form').send('channel_name=private-user-1');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check socket_id.',
      details: [{ field: 'socket_id', problem: 'is required, as a string' }],
    });
  });

  it.each([
    ['an array', ['private-user-1']],
    ['an object', { name: 'private-user-1' }],
    ['a number', 1],
  ])('channel_name given as %s in JSON', async (_kind, channel) => {
    const res = await post().send({ socket_id: '1.1', channel_name: channel });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check channel_name.',
      details: [{ field: 'channel_name', problem: 'is required, as a string' }],
    });
  });

  it.each([
    ['trailing space', 'private-user-1 '],
    ['165 characters', `private-user-${'1'.repeat(152)}`],
    ['non-ASCII', 'private-usér-1'],
    ['reserved #', '#server-to-user-1'],
  ])('channel_name with %s', async (_kind, channel) => {
    const res = await post().send({ socket_id: '1.1', channel_name: channel });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'Invalid request: check channel_name.',
      details: [{ field: 'channel_name', problem: 'must be 1..164 characters of A-Z a-z 0-9 _ - = @ , . ;' }],
    });
  });

  it('a public channel needs no authorization', async () => {
    const res = await post().send({ socket_id: '1.1', channel_name: 'news' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'channel_name', problem: 'must start with private-, presence- or private-encrypted-: other channels need no authorization' },
    ]);
  });

  it('duplicate form fields are not a string', async () => {
    const res = await post().type('form').send('socket_id=1.1&channel_name=private-user-1&channel_name=private-user-2');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'channel_name', problem: 'is required, as a string' }]);
  });

  it('an unsupported content type is 415', async () => {
    const res = await post().set('Content-Type', 'text/plain').send('socket_id=1.1&channel_name=private-user-1');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'Send the body as application/x-www-form-urlencoded or application/json.',
      },
    });
  });

  it('a charset other than utf-8 is 415', async () => {
    const res = await post().set('Content-Type', 'application/json; charset=latin1').send('{"socket_id":"1.1"}');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { code: 'unsupported_media_type', message: 'Only utf-8 bodies are accepted.' } });
  });

  it('UTF-8 in any case is fine', async () => {
    const res = await post()
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8')
      .send('socket_id=1.1&channel_name=private-user-1');
    expect(res.status).toBe(200);
  });

  it('malformed JSON is 400', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"socket_id": "1.1",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
  });

  it('a body over 16 KB is 413, before identity and parsing', async () => {
    const res = await request(t.app)
      .post('/pusher/auth')
      .type('form')
      .send(`socket_id=1.1&channel_name=private-user-1&pad=${'x'.repeat(16 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
  });

  it('input rules come before identity: a bad request without a token is 400, not 401', async () => {
    const res = await request(t.app).post('/pusher/auth').send({ socket_id: 'x', channel_name: 'private-user-1' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: socketProblem });
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await request(t.app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /nope.' } });
  });
});

describe('rate limit', () => {
  it('answers 429 past AUTH_RATE_LIMIT_PER_MINUTE', async () => {
    const limited = testApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const send = () => request(limited.app).post('/pusher/auth').send({ socket_id: '1.1', channel_name: 'private-user-1' });
    expect((await send()).status).toBe(401);
    expect((await send()).status).toBe(401);
    const res = await send();
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: { code: 'rate_limited', message: 'Too many requests: slow down and try again shortly.' } });
  });
});
