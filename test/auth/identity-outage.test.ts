/**
 * The identity service (IDENTITY_URL) stops mid-run and comes back on the same port: requests
 * that need it get 502 `upstream_error` while it is away, bearer-token requests never notice, and
 * session requests work again once it returns.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { runPool } from '../helpers/pool.js';
import { Restartable } from '../helpers/restartable.js';
import { expectedAuth, JWT_SECRET, tokenFor } from '../helpers/tokens.js';

/** Knows one session: cookie `session=s1` is user "s1". */
const identity = new Restartable(() => ({
  server: createServer((req, res) => {
    const known = /(?:^|;\s*)session=s1(?:;|$)/.test(req.headers.cookie ?? '');
    const body = known ? '{"id":"s1"}' : '';
    res.writeHead(known ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }),
}));
let server: RunningServer;
let bearer: string;

beforeAll(async () => {
  await identity.start();
  server = await startTestServer({ IDENTITY_URL: `${identity.url}/whoami`, JWT_SECRET, AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  bearer = await tokenFor('t1');
});
afterAll(async () => {
  await server.close();
  await identity.stop();
});

type Who = 'session' | 'bearer';
async function ask(who: Who, i: number): Promise<{ status: number; body: Record<string, unknown>; channel: string; socketId: string }> {
  const channel = who === 'session' ? 'private-user-s1' : 'private-user-t1';
  const socketId = `${i}.1`;
  const res = await fetch(`${server.url}/pusher/auth`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(who === 'session' ? { cookie: 'session=s1' } : { authorization: `Bearer ${bearer}` }),
    },
    body: `socket_id=${socketId}&channel_name=${channel}`,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, channel, socketId };
}

/** `count` requests, alternating session and bearer, 10 in flight; returns statuses per kind. */
async function burst(count: number, check: (who: Who, answer: Awaited<ReturnType<typeof ask>>) => void): Promise<Record<Who, number[]>> {
  const statuses: Record<Who, number[]> = { session: [], bearer: [] };
  await runPool(count, 10, async (i) => {
    const who: Who = i % 2 === 0 ? 'session' : 'bearer';
    const answer = await ask(who, i);
    statuses[who].push(answer.status);
    check(who, answer);
  });
  return statuses;
}

const signedRight = (answer: Awaited<ReturnType<typeof ask>>) =>
  expect(answer.body).toEqual({ auth: expectedAuth(server.config.app, `${answer.socketId}:${answer.channel}`) });

describe('identity service outage', () => {
  it('502s only the requests that need it, and recovers when it returns', async () => {
    const up = await burst(40, (_who, answer) => {
      expect(answer.status).toBe(200);
      signedRight(answer);
    });
    expect(up.session).toHaveLength(20);

    // Mid-run: the service goes away while requests are in flight.
    const during = burst(200, (who, answer) => {
      if (who === 'bearer' || answer.status === 200) {
        expect(answer.status).toBe(200);
        signedRight(answer);
      } else {
        expect(answer.status).toBe(502);
        expect(answer.body).toMatchObject({ error: { code: 'upstream_error' } });
      }
    });
    await identity.stop();
    await during;

    const down = await burst(40, (who, answer) => {
      if (who === 'bearer') signedRight(answer);
      else expect(answer.body).toMatchObject({ error: { code: 'upstream_error', details: { source: 'IDENTITY_URL' } } });
    });
    expect(down).toEqual({ session: Array(20).fill(502), bearer: Array(20).fill(200) });

    await identity.start(); // same port
    const back = await burst(40, (_who, answer) => signedRight(answer));
    expect(back).toEqual({ session: Array(20).fill(200), bearer: Array(20).fill(200) });
  });
});
