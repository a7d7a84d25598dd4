/** The console's routes on the real server: the token gate, the stream, "what if", the state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISIONS_KEPT } from '../../src/console/decision-feed.js';
import type { RunningServer } from '../../src/server.js';
import { connectClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { openDecisions, type StreamEvent } from '../helpers/sse.js';
import { authorize, authorizeBatch, consoleFetch, demoLogin, signIn } from '../helpers/console.js';

let server: RunningServer;
let token: string;
let ada: string;

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  token = server.config.consoleToken ?? '';
  ada = await demoLogin(server.url, '1');
});
afterAll(() => server.close());

const decisionsOf = (events: readonly StreamEvent[]) => events.filter((e) => e.event === 'decision');

describe('the console token', () => {
  const routes = [
    ['GET', '/console/decisions'],
    ['POST', '/console/explain'],
    ['GET', '/console/state'],
    ['GET', '/console/anything-else'],
  ] as const;

  it.each(routes)('%s %s without it is a 401', async (method, path) => {
    expect(await consoleFetch(server.url, path, { method })).toEqual({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'Send the header Authorization: Bearer <CONSOLE_TOKEN>.' } },
    });
  });

  it.each(routes)('%s %s with a wrong one is a 401', async (method, path) => {
    for (const wrong of [`${token}x`, token.slice(1), 'x', server.config.triggerTokens[0] ?? '']) {
      expect(await consoleFetch(server.url, path, { method, token: wrong })).toEqual({
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'The console token is not valid.' } },
      });
    }
  });

  it('is not needed for the page itself, which carries no data', async () => {
    const res = await fetch(`${server.url}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<script src="/console.js" type="module"></script>');
  });
});

describe('GET /console/decisions', () => {
  it('replays the kept decisions in order, says so, then streams new ones as they are made', async () => {
    const before = await openDecisions(server.url, token);
    const seen = (await before.replayed()) - 1;
    before.close();

    expect((await authorize(server.url, ada, 'private-user-1')).status).toBe(200);
    expect((await authorize(server.url, ada, 'private-user-2')).status).toBe(403);
    const stream = await openDecisions(server.url, token);
    try {
      const replayed = await stream.events.waitFor(seen + 3);
      expect(replayed[seen + 2]).toEqual({ event: 'replayed', id: undefined, data: { count: seen + 2 } });
      const [allowed, refused] = replayed.slice(seen, seen + 2);
      expect(allowed?.data).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        userId: '1',
        channel: 'private-user-1',
        kind: 'private',
        verdict: 'allow',
        rule: 'private-user-{userId}',
        duration: expect.any(Number),
      });
      expect(refused?.data).toMatchObject({
        userId: '1',
        channel: 'private-user-2',
        verdict: 'deny',
        rule: 'private-user-{userId}',
        reason: 'only user "2" may join this channel',
      });
      expect(Number(refused?.id)).toBe(Number(allowed?.id) + 1);

      expect((await authorize(server.url, ada, 'presence-lobby')).status).toBe(200);
      expect((await authorize(server.url, ada, 'private-nobody')).status).toBe(403);
      const live = (await stream.events.waitFor(seen + 5)).slice(seen + 3);
      expect(live.map((e) => [e.event, (e.data as { channel: string }).channel])).toEqual([
        ['decision', 'presence-lobby'],
        ['decision', 'private-nobody'],
      ]);
      expect(live[1]?.data).toMatchObject({ verdict: 'deny', rule: null, reason: 'no rule matches' });
      expect(Number(live[0]?.id)).toBe(Number(refused?.id) + 1);
    } finally {
      stream.close();
    }
  });

  it(`keeps at most ${DECISIONS_KEPT} decisions, the most recent`, async () => {
    const channels = Array.from({ length: 100 }, (_, i) => `private-bound-${i}`);
    for (let round = 0; round < DECISIONS_KEPT / 100 + 1; round += 1) {
      expect(await authorizeBatch(server.url, ada, channels)).toBe(200);
    }
    expect((await authorize(server.url, ada, 'private-user-1')).status).toBe(200);
    const stream = await openDecisions(server.url, token);
    try {
      const replayed = await stream.events.waitFor(DECISIONS_KEPT + 1);
      expect(replayed[DECISIONS_KEPT]).toEqual({ event: 'replayed', id: undefined, data: { count: DECISIONS_KEPT } });
      const kept = decisionsOf(replayed);
      expect(kept).toHaveLength(DECISIONS_KEPT);
      expect(kept.at(-1)?.data).toMatchObject({ channel: 'private-user-1' });
      const ids = kept.map((e) => Number(e.id));
      expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
    } finally {
      stream.close();
    }
  });
});

describe('POST /console/explain', () => {
  const explain = (body: unknown) => consoleFetch(server.url, '/console/explain', { method: 'POST', token, body });

  it('answers with the rule that allows', async () => {
    expect(await explain({ user: { id: '2' }, channel: 'private-user-2' })).toEqual({
      status: 200,
      body: { allow: true, rule: 'private-user-{userId}' },
    });
    expect(await explain({ user: { id: '9', channels: ['private-doc-*'] }, channel: 'private-doc-42' })).toEqual({
      status: 200,
      body: { allow: true, rule: 'private-doc-*' },
    });
  });

  it('answers with the rule and the reason that refuse', async () => {
    expect(await explain({ user: { id: '1', info: { name: 'Ada' } }, channel: 'private-user-2' })).toEqual({
      status: 200,
      body: { allow: false, rule: 'private-user-{userId}', reason: 'only user "2" may join this channel' },
    });
    expect(await explain({ user: { id: '1' }, channel: 'private-nothing-7' })).toEqual({
      status: 200,
      body: { allow: false, rule: null, reason: 'no rule matches' },
    });
  });

  it('is not a decision: nothing reaches the stream', async () => {
    const stream = await openDecisions(server.url, token);
    try {
      const replayed = await stream.replayed();
      await explain({ user: { id: '1' }, channel: 'private-user-2' });
      expect((await authorize(server.url, ada, 'private-user-1')).status).toBe(200);
      const next = await stream.events.at(replayed);
      expect(next.data).toMatchObject({ channel: 'private-user-1' }); // the explain made no entry before it
    } finally {
      stream.close();
    }
  });

  it('refuses an invalid request with 400 invalid_request, every field named', async () => {
    expect(await explain({ user: { id: 'a b', channels: 'presence-*' }, channel: 'public-news' })).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'Invalid request: check user.id, user.channels, channel.',
          details: [
            { field: 'user.id', problem: 'must be 1..128 characters of A-Z a-z 0-9 _ - = @ , . ;' },
            { field: 'user.channels', problem: 'Invalid input: expected array, received string' },
            {
              field: 'channel',
              problem: 'must start with private-, presence- or private-encrypted-: other channels need no authorization',
            },
          ],
        },
      },
    });
    expect(await explain({ channel: 'private-user-1' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'Invalid request: check user.' } },
    });
  });
});

describe('GET /console/state', () => {
  it("shows connections, channels with subscribers and members, and signed-in users", async () => {
    const client = await connectClient(server.url, { userId: '1' });
    try {
      await client.subscribe('presence-state-room');
      await signIn(client, '1');
      const { status, body } = await consoleFetch(server.url, '/console/state', { token });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        connections: 1,
        channelCount: 2,
        channels: [
          { name: '#server-to-user-1', subscribers: 1 },
          { name: 'presence-state-room', subscribers: 1, members: [{ id: '1' }] },
        ],
        users: [{ id: '1', connections: 1 }],
        userCount: 1,
      });
    } finally {
      client.disconnect();
    }
  });
});

describe('what the console sends', () => {
  it('never carries a token, a signature or a secret', async () => {
    const stream = await openDecisions(server.url, token);
    try {
      const before = await stream.replayed();
      const answers = await Promise.all(
        ['private-user-1', 'presence-lobby', 'private-encrypted-user-1', 'private-user-2'].map((c) => authorize(server.url, ada, c)),
      );
      await stream.events.waitFor(before + 4);
      const signatures = answers.flatMap(({ text }) => Object.values(JSON.parse(text) as Record<string, unknown>))
        .filter((v): v is string => typeof v === 'string' && v.length > 20);
      expect(signatures.length).toBeGreaterThanOrEqual(4); // three auths, a channel_data and a shared_secret
      const explained = await consoleFetch(server.url, '/console/explain', {
        method: 'POST', token, body: { user: { id: '1' }, channel: 'private-user-1' },
      });
      const state = await consoleFetch(server.url, '/console/state', { token });
      const sent = [stream.raw(), JSON.stringify(explained.body), JSON.stringify(state.body)].join('\n');
      const { app, triggerTokens, identity, encryptionMasterKey } = server.config;
      const secrets = [ada, ...ada.split('.'), token, app.secret, ...triggerTokens, identity.jwtSecret ?? '', encryptionMasterKey?.toString('base64') ?? ''];
      for (const secret of [...secrets, ...signatures.map((s) => s.split(':').at(-1) ?? s)]) {
        expect(secret.length).toBeGreaterThan(8);
        expect(sent).not.toContain(secret);
      }
    } finally {
      stream.close();
    }
  });
});
