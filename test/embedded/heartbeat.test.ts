/**
 * Liveness (docs/design.md#embedded-server): a client that stops answering the server's pusher:ping is closed with 4201;
 * one that answers stays. Time is an injected clock moved by the test, so nothing waits for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../helpers/wait.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { embeddedService, TEST_APP, type EmbeddedService } from '../helpers/embedded-service.js';
import { RawClient } from '../../conformance/raw-client.js';

const IDLE_SECONDS = 1;
const PONG_TIMEOUT_MS = 500;
const clock = new ManualScheduler();
let service: EmbeddedService;

beforeAll(async () => {
  service = embeddedService({ clock: clock.now, activityTimeoutSeconds: IDLE_SECONDS, pongTimeoutMs: PONG_TIMEOUT_MS, heartbeatIntervalMs: 10 });
  await service.service.start();
});
afterAll(() => service.service.stop());

describe('server pings', () => {
  it('closes a client that stops answering with 4201 and keeps the one that answers', async () => {
    const silent = await RawClient.connect(service.service.url, TEST_APP.key, { answerPings: false });
    const lively = await RawClient.connect(service.service.url, TEST_APP.key, { answerPings: true });
    const handshake = JSON.parse(silent.frames[0]?.data as string) as { activity_timeout: number };
    expect(handshake.activity_timeout).toBe(IDLE_SECONDS);

    clock.advance(IDLE_SECONDS * 1000);
    await silent.waitFor((f) => f.event === 'pusher:ping', 'a server ping to the silent client');
    await lively.waitFor((f) => f.event === 'pusher:ping', 'a server ping to the lively client');
    await lively.sync(); // its pong has been handled

    clock.advance(PONG_TIMEOUT_MS);
    const closed = await withTimeout(silent.closed, 5000, 'the silent client to be closed');
    expect(closed.code).toBe(4201);
    expect(silent.frames.some((f) => f.event === 'pusher:error' && (JSON.parse(f.data as string) as { code: number }).code === 4201)).toBe(true);

    await lively.sync(); // still served
    expect(service.embedded().stats().connections).toBe(1);
    await lively.close();
  });

  it('any message counts as activity: a client that keeps talking is never pinged', async () => {
    const chatty = await RawClient.connect(service.service.url, TEST_APP.key, { answerPings: false });
    for (let step = 0; step < 4; step += 1) {
      clock.advance((IDLE_SECONDS * 1000) / 2);
      await chatty.sync();
    }
    expect(chatty.frames.filter((f) => f.event === 'pusher:ping')).toEqual([]);
    await chatty.close();
  });
});
