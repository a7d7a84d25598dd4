/**
 * Remote mode with the upstream Pusher service (a second, embedded instance) stopping mid-run and
 * returning on the same port: /trigger answers 502 `upstream_error` while it is away (504
 * `upstream_timeout` for a trigger whose connection was lost after it was sent), channel
 * auth (signed locally) never notices, and publishing works again once it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { embeddedService, TEST_APP } from '../helpers/embedded-service.js';
import { runPool } from '../helpers/pool.js';
import { expectedAuth, JWT_SECRET, tokenFor } from '../helpers/tokens.js';
import { RawClient } from '../../conformance/raw-client.js';

const TRIGGER_TOKEN = 'resilience-trigger-token';
const upstream = embeddedService();
let server: RunningServer;
let bearer: string;

beforeAll(async () => {
  await upstream.service.start();
  server = await startTestServer({
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(upstream.service.port),
    PUSHER_USE_TLS: 'false',
    PUSHER_APP_ID: TEST_APP.appId,
    PUSHER_KEY: TEST_APP.key,
    PUSHER_SECRET: TEST_APP.secret,
    TRIGGER_TOKEN,
    JWT_SECRET,
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
  });
  bearer = await tokenFor('1');
});
afterAll(async () => {
  await server.close();
  await upstream.service.stop();
});

async function trigger(seq: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/trigger`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TRIGGER_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'news', event: 'update', data: { seq } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function auth(i: number): Promise<void> {
  const res = await fetch(`${server.url}/pusher/auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: `socket_id=${i}.2&channel_name=private-user-1`,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ auth: expectedAuth(TEST_APP, `${i}.2:private-user-1`) });
}

async function subscriber(): Promise<RawClient> {
  const probe = await RawClient.connect(upstream.service.url, TEST_APP.key);
  probe.send({ event: 'pusher:subscribe', data: { channel: 'news', auth: '' } });
  await probe.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded', 'the news subscription');
  return probe;
}

const received = (probe: RawClient) => probe.frames.filter((f) => f.event === 'update').map((f) => (JSON.parse(f.data as string) as { seq: number }).seq);

describe('upstream Pusher service outage (remote mode)', () => {
  it('502s /trigger while it is away, keeps auth working, and publishes again when it returns', async () => {
    expect(server.config.mode).toBe('remote');
    const before = await subscriber();
    expect(await trigger(1)).toEqual({ status: 200, body: { ok: true } });
    await before.waitFor((f) => f.event === 'update', 'the first event');

    // Mid-run: auth keeps flowing while the upstream stops; triggers in flight succeed, 502 or 504 (sent, then cut off).
    const authDuring = runPool(200, 10, auth);
    const triggersDuring = runPool(40, 4, async (i) => {
      const { status, body } = await trigger(100 + i);
      if (status === 504) expect(body).toMatchObject({ error: { code: 'upstream_timeout' } });
      else if (status !== 200) expect({ status, body }).toMatchObject({ status: 502, body: { error: { code: 'upstream_error' } } });
    });
    await upstream.service.stop();
    expect((await before.closed).code).toBe(4200); // its clients were told to reconnect
    await Promise.all([authDuring, triggersDuring]);

    const failed = await trigger(2);
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: { code: 'upstream_error' } });
    await runPool(20, 5, auth);

    await upstream.service.start(); // same port, a fresh instance
    const after = await subscriber();
    expect(await trigger(3)).toEqual({ status: 200, body: { ok: true } });
    await after.waitFor((f) => f.event === 'update', 'the event after the restart');
    expect(received(after)).toEqual([3]);
    expect(received(before)[0]).toBe(1);
    await after.close();
  });
});
