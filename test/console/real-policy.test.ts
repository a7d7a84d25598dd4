/**
 * The console runs the real join decision: async rules and AUTHZ_URL (a real local app server) in
 * "what if", and every outcome, sign-ins and failures included, on the stream.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { channelRules } from '../../src/channels.js';
import { loadConfig } from '../../src/config.js';
import { channel } from '@pusher-auth-server/channel-auth';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';
import { silentLogger } from '../helpers/server.js';
import { openDecisions } from '../helpers/sse.js';
import { authorize, consoleFetch, demoLogin, SOCKET_ID } from '../helpers/console.js';

const TOKEN = 'console-t0ken-for-tests';
let appServer: HttpRecorder;
let server: Server;
let url: string;

beforeAll(async () => {
  appServer = await startHttpRecorder(({ body }) => {
    const { channel: name } = JSON.parse(body.toString()) as { channel: string };
    return { status: 200, body: name === 'private-orders-1' ? '{"allow":true}' : '{"allow":false,"reason":"not on the guest list"}' };
  });
  const rules = [
    channel('private-vip-{id}', async ({ params }) => (await Promise.resolve(params.id === 'gold')) || 'only gold members'),
    channel('private-broken-{id}', async () => {
      throw new Error('the database is down');
    }),
    ...channelRules,
  ];
  const env = { LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '0', CONSOLE_TOKEN: TOKEN, AUTHZ_URL: `${appServer.url}/can-join` };
  server = createServer(createApp({ config: loadConfig(env), logger: silentLogger, rules }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await appServer.close();
});

const explain = (userId: string, name: string) =>
  consoleFetch(url, '/console/explain', { method: 'POST', token: TOKEN, body: { user: { id: userId }, channel: name } });

describe('"what if" with the real decision', () => {
  it('waits for an async rule', async () => {
    expect(await explain('1', 'private-vip-gold')).toEqual({ status: 200, body: { allow: true, rule: 'private-vip-{id}' } });
    expect(await explain('1', 'private-vip-tin')).toEqual({
      status: 200,
      body: { allow: false, rule: 'private-vip-{id}', reason: 'only gold members' },
    });
  });

  it('asks AUTHZ_URL for what no rule matches, without a socket id', async () => {
    const before = appServer.requests.items.length;
    expect(await explain('7', 'private-orders-1')).toEqual({ status: 200, body: { allow: true, rule: 'AUTHZ_URL' } });
    expect(await explain('7', 'private-orders-2')).toEqual({
      status: 200,
      body: { allow: false, rule: 'AUTHZ_URL', reason: 'not on the guest list' },
    });
    expect(appServer.requests.items.slice(before).map((r) => JSON.parse(r.body.toString()) as unknown)).toEqual([
      { user: { id: '7' }, channel: 'private-orders-1' },
      { user: { id: '7' }, channel: 'private-orders-2' },
    ]);
  });

  it('answers 502 upstream_error when a rule fails, as /pusher/auth would', async () => {
    const { status, body } = await explain('1', 'private-broken-1');
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { code: 'upstream_error', message: 'Could not decide whether user 1 may join private-broken-1.' } });
  });
});

describe('the stream with the real decision observer', () => {
  it('shows sign-ins, async and AUTHZ_URL decisions and failures, never what was signed', async () => {
    const jwt = await demoLogin(url, '1');
    const stream = await openDecisions(url, TOKEN);
    try {
      const before = await stream.replayed();
      const signin = await fetch(`${url}/pusher/user-auth`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `socket_id=${SOCKET_ID}`,
      });
      const signinText = await signin.text();
      expect(signin.status).toBe(200);
      for (const name of ['private-vip-gold', 'private-orders-2', 'private-broken-1']) await authorize(url, jwt, name);
      const events = (await stream.events.waitFor(before + 4)).slice(before).map((e) => e.data);
      expect(events).toEqual([
        { time: expect.any(String), userId: '1', channel: null, kind: 'user', verdict: 'allow', rule: null, duration: expect.any(Number) },
        expect.objectContaining({ channel: 'private-vip-gold', verdict: 'allow', rule: 'private-vip-{id}' }),
        expect.objectContaining({ channel: 'private-orders-2', verdict: 'deny', rule: 'AUTHZ_URL', reason: 'not on the guest list' }),
        expect.objectContaining({ channel: 'private-broken-1', verdict: 'error', rule: 'private-broken-{id}' }),
      ]);
      const { auth } = JSON.parse(signinText) as { auth: string };
      expect(stream.raw()).not.toContain(auth.split(':')[1]);
      expect(stream.raw()).not.toContain(jwt);
      expect(stream.raw()).not.toContain('"pattern"');
    } finally {
      stream.close();
    }
  });
});
