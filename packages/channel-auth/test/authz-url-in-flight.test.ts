/**
 * AUTHZ_URL asks still waiting for the app, against a real local app server that holds every
 * answer until the test gives it: identical asks share one request, and forgetting a user (the
 * terminate route) is never undone by an answer asked for before it.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthzUrl, type AuthzUrl } from '../src/policy/authz-url.js';
import type { JoinRequest } from '../src/policy/join.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { Inbox, withTimeout } from '../../../test/helpers/wait.js';

interface HeldAnswer {
  readonly channel: string;
  /** The request's content-type and accept headers. */
  readonly types: readonly [string | undefined, string | undefined];
  answer(body: string): void;
}

let appServer: Server;
let url: string;
let held: Inbox<HeldAnswer>;

beforeAll(async () => {
  appServer = createServer((req, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const { channel } = JSON.parse(body) as { channel: string };
      held.push({ channel, types: [req.headers['content-type'], req.headers.accept], answer: (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer) });
    });
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/can-join`;
});
afterAll(() => {
  appServer.closeAllConnections();
  return new Promise((resolve) => appServer.close(resolve));
});

const ALLOW = '{"allow":true}';
const asking = (userId: string, channel = 'private-orders-1'): JoinRequest => ({ user: { id: userId, channels: [] }, channel, socketId: '1.1' });
const settled = (answer: ReturnType<AuthzUrl['ask']>) => withTimeout(Promise.resolve(answer), 5000, 'the decision');

function setUp(cacheSeconds: number, limits: { maxConcurrent?: number; maxWaiting?: number } = {}): AuthzUrl {
  held = new Inbox();
  const clock = new ManualScheduler(Date.UTC(2026, 11, 1));
  return createAuthzUrl({ url, token: undefined, cacheSeconds, timeoutMs: 5000, clock: clock.now, ...limits });
}

describe.each([0, 30])('AUTHZ_URL asks in flight, AUTHZ_CACHE_SECONDS=%i', (cacheSeconds) => {
  it('identical asks share one request to the app; other channels and users get their own', async () => {
    const authz = setUp(cacheSeconds);
    const first = authz.ask(asking('1'));
    const same = authz.ask(asking('1'));
    const otherChannel = authz.ask(asking('1', 'private-orders-2'));
    const otherUser = authz.ask(asking('2'));
    const answers = await held.waitFor(3);
    for (const { answer } of answers) answer(ALLOW);
    for (const decision of [first, same, otherChannel, otherUser]) expect((await settled(decision)).verdict).toBe('allow');
    expect(held.items.map(({ channel }) => channel).sort()).toEqual(['private-orders-1', 'private-orders-1', 'private-orders-2']);
  });

  it('an ask after forgetUser does not share the answer asked for before it', async () => {
    const authz = setUp(cacheSeconds);
    const before = authz.ask(asking('1'));
    await held.waitFor(1);
    authz.forgetUser('1');
    const after = authz.ask(asking('1'));
    const [old, fresh] = await held.waitFor(2);
    fresh?.answer('{"allow":false,"reason":"terminated"}');
    old?.answer(ALLOW);
    expect(await settled(after)).toMatchObject({ verdict: 'deny', reason: 'terminated' });
    expect((await settled(before)).verdict).toBe('allow');
  });

  it('the answer asked for before forgetUser, when it comes, leaves the ask after it shared', async () => {
    const authz = setUp(cacheSeconds);
    const before = authz.ask(asking('1'));
    await held.waitFor(1);
    authz.forgetUser('1');
    const after = authz.ask(asking('1'));
    const [old, fresh] = await held.waitFor(2);
    old?.answer(ALLOW);
    await settled(before);
    const again = authz.ask(asking('1'));
    fresh?.answer('{"allow":false}');
    expect([(await settled(after)).verdict, (await settled(again)).verdict]).toStrictEqual(['deny', 'deny']);
    expect(held.items).toHaveLength(2);
  });

  it('forgetting one user leaves identical asks about another shared', async () => {
    const authz = setUp(cacheSeconds);
    const first = authz.ask(asking('2'));
    const [asked] = await held.waitFor(1);
    authz.forgetUser('1');
    const second = authz.ask(asking('2'));
    asked?.answer(ALLOW);
    expect([(await settled(first)).verdict, (await settled(second)).verdict]).toStrictEqual(['allow', 'allow']);
    expect(held.items).toHaveLength(1);
  });
});

describe('AUTHZ_URL asks, one by one', () => {
  it('sends JSON and asks for JSON', async () => {
    const authz = setUp(0);
    const decision = authz.ask(asking('1'));
    const [asked] = await held.waitFor(1);
    asked?.answer(ALLOW);
    await settled(decision);
    expect(asked?.types).toStrictEqual(['application/json', 'application/json']);
  });

  it('keeps a reason of exactly 200 characters whole', async () => {
    const authz = setUp(0);
    const decision = authz.ask(asking('1'));
    const reason = 'r'.repeat(200);
    (await held.waitFor(1))[0]?.answer(JSON.stringify({ allow: false, reason }));
    expect(await settled(decision)).toStrictEqual({ verdict: 'deny', rule: 'AUTHZ_URL', pattern: 'AUTHZ_URL', reason });
  });

  it('fails an ask at once when the line is full, naming how many it holds', async () => {
    const authz = setUp(0, { maxConcurrent: 1, maxWaiting: 0 });
    const first = authz.ask(asking('1'));
    expect(await settled(authz.ask(asking('2')))).toStrictEqual({
      verdict: 'error',
      rule: 'AUTHZ_URL',
      pattern: 'AUTHZ_URL',
      reason: 'has more than 1 asks waiting',
    });
    (await held.waitFor(1))[0]?.answer(ALLOW);
    expect((await settled(first)).verdict).toBe('allow');
  });
});

describe('AUTHZ_CACHE_SECONDS and forgetUser while the app is asked', () => {
  it('an allow asked for before forgetUser is not remembered: the next ask goes to the app', async () => {
    const authz = setUp(30);
    const before = authz.ask(asking('1'));
    const [old] = await held.waitFor(1);
    authz.forgetUser('1');
    old?.answer(ALLOW);
    expect((await settled(before)).verdict).toBe('allow');

    const next = authz.ask(asking('1'));
    expect(next).toBeInstanceOf(Promise); // not answered from the cache
    const [, asked] = await held.waitFor(2);
    asked?.answer('{"allow":false}');
    expect((await settled(next)).verdict).toBe('deny');
    expect((await settled(authz.ask(asking('1')))).verdict).toBe('deny'); // this answer is remembered
    expect(held.items).toHaveLength(2);
  });

  it('forgetting one user leaves the answers asked for about others', async () => {
    const authz = setUp(30);
    const other = authz.ask(asking('2'));
    const [asked] = await held.waitFor(1);
    authz.forgetUser('1');
    asked?.answer(ALLOW);
    expect((await settled(other)).verdict).toBe('allow');
    expect(await authz.ask(asking('2'))).toMatchObject({ verdict: 'allow' });
    expect(held.items).toHaveLength(1); // from the cache: the app was asked once
  });
});
