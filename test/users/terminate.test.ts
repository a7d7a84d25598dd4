/** POST /users/:userId/terminate through the real server, with real signed-in pusher-js clients. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { captureLogger, logLine } from '../helpers/logger.js';
import type { TestClient } from '../helpers/pusher-client.js';
import { appEnv, startTestServer, type TestEnv } from '../helpers/server.js';
import { closeCode, signedInClient } from '../helpers/signed-in.js';

const { logger, lines } = captureLogger('info');
let server: RunningServer;
const clients: TestClient[] = [];
const started: RunningServer[] = [];

async function terminate(base: RunningServer, userId: string, authorization?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const res = await fetch(`${base.url}/users/${userId}/terminate`, { method: 'POST', headers });
  return { status: res.status, body: await res.json() };
}
const bearer = (base: RunningServer) => `Bearer ${base.config.triggerTokens[0]}`;

async function client(userId: string): Promise<TestClient> {
  const signedIn = await signedInClient(server.url, userId);
  clients.push(signedIn);
  return signedIn;
}

async function remoteServer(env: TestEnv): Promise<RunningServer> {
  const remote = await startTestServer({ PUSHER_HOST: '127.0.0.1', PUSHER_USE_TLS: 'false', JWT_SECRET: 'j'.repeat(32), ...env });
  started.push(remote);
  return remote;
}

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' }, { logger });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(started.splice(0).map((s) => s.close()));
});
afterAll(() => server.close());

describe('POST /users/:userId/terminate', () => {
  it("closes every connection of that user with 4009, and no one else's", async () => {
    const [first, second, other] = await Promise.all([client('1'), client('1'), client('2')]);
    const closes = [closeCode(first), closeCode(second)];
    await other.subscribe('private-user-2');
    const inbox = other.listen('private-user-2', 'still-here');

    expect(await terminate(server, '1', bearer(server))).toEqual({ status: 200, body: { ok: true } });
    expect(await Promise.all(closes)).toEqual([4009, 4009]);
    // A barrier: an event published after the terminate reaches user 2's connection, still open.
    const published = await fetch(`${server.url}/trigger`, {
      method: 'POST',
      headers: { authorization: bearer(server), 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'private-user-2', event: 'still-here', data: { n: 1 } }),
    });
    expect(published.status).toBe(200);
    expect(await inbox.at(0)).toEqual({ n: 1 });
    expect(other.pusher.connection.state).toBe('connected');
    expect([first.pusher.connection.state, second.pusher.connection.state]).toEqual(['disconnected', 'disconnected']);
  });

  it('answers 200 for a user with no connection: there is nothing left to close', async () => {
    expect(await terminate(server, 'nobody-here', bearer(server))).toEqual({ status: 200, body: { ok: true } });
  });

  it('logs one line with the user id and the outcome, never the token', async () => {
    await terminate(server, 'log-me', bearer(server));
    const line = await logLine(lines, 'user connections terminated', (l) => l.userId === 'log-me');
    expect(line).toMatchObject({ level: 30, userId: 'log-me', outcome: 'terminated' });
    expect(JSON.stringify(lines.items)).not.toContain(server.config.triggerTokens[0]);
  });

  it('counts each outcome in /metrics', async () => {
    await terminate(server, 'counted', bearer(server));
    await terminate(server, 'counted');
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^pusher_user_terminations_total\{outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^pusher_user_terminations_total\{outcome="rejected"\} [1-9]\d*$/m);
  });

  it("counts the console's terminates in the same metric, refusals included", async () => {
    const count = async (outcome: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(new RegExp(`^pusher_user_terminations_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const [ok, rejected] = [await count('ok'), await count('rejected')];
    const viaConsole = (authorization?: string) =>
      fetch(`${server.url}/console/users/from-console/terminate`, { method: 'POST', headers: authorization ? { authorization } : {} });
    expect((await viaConsole(`Bearer ${server.config.consoleToken}`)).status).toBe(200);
    expect((await viaConsole()).status).toBe(401);
    expect([await count('ok'), await count('rejected')]).toEqual([ok + 1, rejected + 1]);
  });

  const invalidUserId = {
    error: {
      code: 'invalid_request',
      message: 'Invalid request: check userId.',
      details: [{ field: 'userId', problem: 'must be 1..128 characters of A-Z a-z 0-9 _ - = @ , . ;' }],
    },
  };
  it.each([
    ['a space', 'a%20b', invalidUserId],
    ['129 characters', 'u'.repeat(129), invalidUserId],
    ['a slash, encoded', 'a%2Fb', invalidUserId],
    ['a # (server-to-user) id', '%23server-to-user-1', invalidUserId],
    ['a malformed percent-escape', '%zz', { error: { code: 'invalid_request', message: 'The URL has a malformed percent-escape.' } }],
  ])('answers 400 for an invalid user id: %s', async (_label, userId, body) => {
    expect(await terminate(server, userId, bearer(server))).toEqual({ status: 400, body });
  });

  it('accepts a 128-character id of every allowed character', async () => {
    const id = `AZaz09_-=@,.;${'x'.repeat(115)}`;
    expect(await terminate(server, id, bearer(server))).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    ['no Authorization header', undefined, 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.'],
    ['a wrong token', 'Bearer not-the-trigger-token', 'The trigger token is not valid.'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz', 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.'],
  ])('answers 401 with %s, before looking at the user id', async (_label, authorization, message) => {
    for (const userId of ['1', 'a%20b']) {
      expect(await terminate(server, userId, authorization)).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message } } });
    }
  });
});

describe('POST /users/:userId/terminate in remote mode', () => {
  it('answers 503 trigger_disabled without a TRIGGER_TOKEN', async () => {
    const remote = await remoteServer({ PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's' });
    expect(await terminate(remote, '1', 'Bearer anything')).toEqual({
      status: 503,
      body: { error: { code: 'trigger_disabled', message: 'Publishing is disabled: no TRIGGER_TOKEN is configured.' } },
    });
  });

  it('closes the user\'s connections on the Pusher service it points at', async () => {
    const remote = await remoteServer({ ...appEnv(server), PUSHER_PORT: String(server.port), TRIGGER_TOKEN: 'remote-trigger-token' });
    const target = await client('7');
    const closed = closeCode(target);
    expect(await terminate(remote, '7', 'Bearer remote-trigger-token')).toEqual({ status: 200, body: { ok: true } });
    expect(await closed).toBe(4009);
  });

  it('answers 502 upstream_error when the Pusher service is stopped', async () => {
    const gone = await startTestServer();
    const port = gone.port;
    await gone.close();
    const remote = await remoteServer({ ...appEnv(server), PUSHER_PORT: String(port), TRIGGER_TOKEN: 'remote-trigger-token' });
    expect(await terminate(remote, '1', 'Bearer remote-trigger-token')).toEqual({
      status: 502,
      body: {
        error: {
          code: 'upstream_error',
          message: 'The Pusher service could not be reached (ECONNREFUSED).',
          details: { status: null, reason: 'connection failed: ECONNREFUSED' },
        },
      },
    });
  });

  it('answers 502 with the upstream status when the Pusher service refuses, never a secret', async () => {
    const remote = await remoteServer({
      ...appEnv(server),
      PUSHER_SECRET: 'not-the-upstream-secret',
      PUSHER_PORT: String(server.port),
      TRIGGER_TOKEN: 'remote-trigger-token',
    });
    const answer = await terminate(remote, '1', 'Bearer remote-trigger-token');
    expect(answer).toEqual({
      status: 502,
      body: {
        error: {
          code: 'upstream_error',
          message: "The Pusher service refused to close the user's connections (HTTP 401).",
          details: { status: 401, reason: expect.stringMatching(/^Invalid signature: you should have sent HmacSHA256Hex\(/) },
        },
      },
    });
    expect(JSON.stringify(answer.body)).not.toContain('not-the-upstream-secret');
    expect(JSON.stringify(answer.body)).not.toContain(server.config.app.secret);
  });
});
