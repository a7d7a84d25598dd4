/**
 * `pusherAuth`, the Express router, as an app mounts it (supertest against a real Express app):
 * its required `user`, the headers on every answer, JSON versus form batches, a batch read from the
 * app's own extended parser, and parse failures answered in the error shape. Found by mutation
 * testing (issue 19): nothing in the suite but the packed-tarball test drove the router.
 */
import { authString, channelStringToSign, userStringToSign } from '@pusher-auth-server/pusher-core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { channel } from '../src/policy/engine.js';
import { pusherAuth, type PusherAuthOptions } from '../src/express/pusher-auth.js';

const APP = { appId: '1', key: 'f00d', secret: 'tofu' };
const rules = [channel('private-{x}', () => true)];
const ada = () => ({ id: '1' });

function appWith(user: PusherAuthOptions['user'] = ada, beforeRouter: express.RequestHandler[] = []) {
  return express().use(...beforeRouter, pusherAuth({ ...APP, rules, user }));
}

const signed = (socketId: string, name: string) => authString(APP, channelStringToSign(socketId, name));
const invalidChannelName = (problem: string) => ({
  error: { code: 'invalid_request', message: 'Invalid request: check channel_name.', details: [{ field: 'channel_name', problem }] },
});

describe('pusherAuth', () => {
  it('needs the user function', () => {
    expect(() => pusherAuth({ ...APP, rules } as unknown as PusherAuthOptions)).toThrow(
      new TypeError('user is required: (req) => the signed-in user, or undefined for nobody.'),
    );
  });

  it('signs, and no answer is cached or sniffed: a signature, a refusal, a parse failure', async () => {
    const app = appWith();
    const ok = await request(app).post('/pusher/auth').send({ socket_id: '1.1', channel_name: 'private-a' });
    expect([ok.status, ok.body]).toStrictEqual([200, { auth: signed('1.1', 'private-a') }]);
    const refused = await request(app).post('/pusher/auth').send({ socket_id: '1.1', channel_name: 'public' });
    const broken = await request(app).post('/pusher/auth').set('content-type', 'application/json').send('{"socket_id":');
    expect([broken.status, broken.body]).toStrictEqual([400, { error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } }]);
    for (const answer of [ok, refused, broken]) {
      expect([answer.headers['cache-control'], answer.headers['x-content-type-options']]).toStrictEqual(['no-store', 'nosniff']);
    }
  });

  it('reads batch keys only from a form: in JSON, channel_name[0] is just an unknown key', async () => {
    const body = { socket_id: '1.1', 'channel_name[0]': 'private-a' };
    const json = await request(appWith()).post('/pusher/auth').send(body);
    expect([json.status, json.body]).toStrictEqual([400, invalidChannelName('is required, as a string')]);
    const form = await request(appWith()).post('/pusher/auth').type('form').send(body);
    expect([form.status, form.body]).toStrictEqual([200, { 'private-a': { status: 200, data: { auth: signed('1.1', 'private-a') } } }]);
  });

  it("reads a batch the app's own extended parser turned into an array", async () => {
    const app = appWith(ada, [express.urlencoded({ extended: true })]);
    const answer = await request(app).post('/pusher/auth').type('form').send('socket_id=1.1&channel_name[0]=private-a&channel_name[1]=private-b');
    expect([answer.status, answer.body]).toStrictEqual([
      200,
      { 'private-a': { status: 200, data: { auth: signed('1.1', 'private-a') } }, 'private-b': { status: 200, data: { auth: signed('1.1', 'private-b') } } },
    ]);
  });

  it('answers nobody with a 401, and signs a sign-in for somebody', async () => {
    const nobody = await request(appWith(() => null)).post('/pusher/user-auth').send({ socket_id: '1.1' });
    expect(nobody.status).toBe(401);
    expect(nobody.body).toMatchObject({ error: { code: 'unauthenticated' } });
    const user = await request(appWith()).post('/broadcasting/user-auth').send({ socket_id: '1.1' });
    expect([user.status, user.body]).toStrictEqual([200, { auth: authString(APP, userStringToSign('1.1', '{"id":"1"}')), user_data: '{"id":"1"}' }]);
  });
});
