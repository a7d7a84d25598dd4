/** The console's routes on the real server: the token gate, the stream, "what if", the state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISIONS_KEPT } from '../../src/console/decision-log.js';
import type { RunningServer } from '../../src/server.js';
import { connectClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { openDecisions, type StreamEvent } from './sse.js';
import { authorize, authorizeBatch, consoleFetch, demoLogin } from './support.js';

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
    await before.events.waitFor(1);
    const seen = (before.events.items[0]?.data as { count: number }).count;
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
        durationMs: expect.any(Number),
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
