/**
 * AUTHZ_URL is asked a bounded number of times at once: batches of channels no rule matches wait
 * their turn instead of becoming hundreds of simultaneous requests, and past the waiting line an
 * ask fails at once (a 502 for that channel) rather than queue without end.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelAuth } from '../src/core.js';
import { AUTHZ_MAX_CONCURRENT, createAuthzUrl } from '../src/policy/authz-url.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { Inbox, withTimeout } from '../../../test/helpers/wait.js';

let appServer: Server;
let url: string;
let waiting: ServerResponse[] = [];
let arrived: Inbox<number>;
let mostAtOnce = 0;

beforeAll(async () => {
  appServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      waiting.push(res);
      mostAtOnce = Math.max(mostAtOnce, waiting.length);
      arrived.push(waiting.length);
    });
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/can-join`;
});
afterAll(() => {
  appServer.closeAllConnections();
  return new Promise((resolve) => appServer.close(resolve));
});

/** Answers every request the app holds, allowing. */
const answerAll = () => {
  for (const res of waiting.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"allow":true}');
};

describe('AUTHZ_URL under a burst', () => {
  it(`asks at most ${AUTHZ_MAX_CONCURRENT} at once for 5 batches of 100 channels no rule matches, and answers them all`, async () => {
    ({ waiting, mostAtOnce } = { waiting: [], mostAtOnce: 0 });
    arrived = new Inbox();
    const auth = createChannelAuth({ appId: '1', key: 'k', secret: 's', rules: [], authzUrl: { url }, decisionTimeoutMs: 20_000 });
    const channels = (batch: number) => Array.from({ length: 100 }, (_, i) => `private-unmatched-${batch}-${i}`);
    const batches = [0, 1, 2, 3, 4].map((batch) => auth.authorizeBatch({ user: { id: '1' }, socketId: '1.1', channels: channels(batch) }));
    let answered = 0;
    while (answered < 500) {
      await arrived.at(answered + Math.min(AUTHZ_MAX_CONCURRENT, 500 - answered) - 1); // as many as may be asked at once
      await new Promise((resolve) => setTimeout(resolve, 20)); // room for a request over the limit to show itself
      answered += waiting.length;
      answerAll();
    }
    const answers = await withTimeout(Promise.all(batches), 10_000, 'every batch');
    expect(mostAtOnce).toBe(AUTHZ_MAX_CONCURRENT);
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(Object.values(body).every((entry) => (entry as { status: number }).status === 200)).toBe(true);
    }
  });

  it('fails an ask at once, never asking the app, once the waiting line is full', async () => {
    ({ waiting, mostAtOnce } = { waiting: [], mostAtOnce: 0 });
    arrived = new Inbox();
    const clock = new ManualScheduler(Date.UTC(2026, 11, 1));
    const authz = createAuthzUrl({ url, timeoutMs: 20_000, clock: clock.now, maxConcurrent: 1, maxWaiting: 1 });
    const ask = (channel: string) => authz.ask({ user: { id: '1', channels: [] }, channel, socketId: '1.1' });
    const first = ask('private-a');
    const second = ask('private-b'); // waits its turn
    await arrived.at(0);
    expect(await ask('private-c')).toEqual({
      verdict: 'error',
      rule: 'AUTHZ_URL',
      pattern: 'AUTHZ_URL',
      reason: 'has more than 2 asks waiting',
    });
    answerAll();
    await arrived.at(1);
    answerAll();
    expect(await first).toMatchObject({ verdict: 'allow' });
    expect(await second).toMatchObject({ verdict: 'allow' });
    expect(arrived.items).toHaveLength(2);
  });
});
