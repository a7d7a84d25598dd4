/**
 * Connections end with their credentials: a channel authorized with a token that expires at T is
 * closed with 4200 once the server's clock passes T; pusher-js reconnects at once and authorizes
 * every channel again with the token the page has now: the expired one gets 401, a refreshed one
 * carries on. One injected clock drives the token check and the connection sweep.
 */
import PusherModule from 'pusher-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { pusherOptions } from '../helpers/pusher-client.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { startTestServer } from '../helpers/server.js';
import { Inbox, withTimeout } from '../helpers/wait.js';

const Pusher = PusherModule as unknown as typeof PusherModule.default;
type Pusher = InstanceType<typeof Pusher>;

const LIFETIME = 60;
let clock: ManualScheduler;
let server: RunningServer;
let pusher: Pusher | undefined;

beforeEach(async () => {
  clock = new ManualScheduler(Date.now()); // near real time: /trigger's SDK signs with the real clock, checked against this one
  server = await startTestServer({}, { clock: clock.now });
});
afterEach(async () => {
  pusher?.disconnect();
  pusher = undefined;
  await server.close();
});

async function login(userId: string, expiresIn: number): Promise<{ token: string; expires_at: number }> {
  const res = await fetch(`${server.url}/demo/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId, expires_in: expiresIn }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { token: string; expires_at: number };
}

interface Page {
  readonly pusher: Pusher;
  /** Each `pusher:subscription_succeeded` (true) or `pusher:subscription_error` status, in order. */
  readonly outcomes: Inbox<true | number>;
  /** Close codes pusher-js reported. */
  readonly closes: Inbox<number>;
  readonly socketIds: Inbox<string>;
}

/** pusher-js as a page uses it: `token()` is read at every authorization (headersProvider). */
async function openPage(channel: string, token: () => string): Promise<Page> {
  const { key, ...options } = await pusherOptions(server.url);
  const headersProvider = () => ({ Authorization: `Bearer ${token()}` });
  const client = new Pusher(key, {
    ...options,
    channelAuthorization: { endpoint: `${server.url}/pusher/auth`, transport: 'ajax', headersProvider },
  });
  pusher = client;
  const page: Page = { pusher: client, outcomes: new Inbox(), closes: new Inbox(), socketIds: new Inbox() };
  client.connection.bind('error', (err: { error?: { data?: { code?: number } } }) => {
    const code = err.error?.data?.code;
    if (code !== undefined) page.closes.push(code);
  });
  client.connection.bind('connected', () => page.socketIds.push(client.connection.socket_id));
  const subscription = client.subscribe(channel);
  subscription.bind('pusher:subscription_succeeded', () => page.outcomes.push(true));
  subscription.bind('pusher:subscription_error', ({ status }: { status: number }) => page.outcomes.push(status));
  return page;
}

describe('a connection authorized with an expiring token', () => {
  it('is closed with 4200 when the token expires; pusher-js reconnects and its re-authorization gets 401', async () => {
    const { token, expires_at } = await login('1', LIFETIME);
    expect(expires_at).toBe(Math.floor(clock.now() / 1000) + LIFETIME);
    const page = await openPage('private-user-1', () => token);
    expect(await page.outcomes.at(0)).toBe(true);
    const first = await page.socketIds.at(0);

    clock.advance(LIFETIME * 1000);
    expect(await page.closes.at(0, 5000)).toBe(4200);
    const second = await page.socketIds.at(1, 5000, 'pusher-js to reconnect');
    expect(second).not.toBe(first);
    expect(await page.outcomes.at(1, 5000)).toBe(401);

    const res = await fetch(`${server.url}/pusher/auth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: second, channel_name: 'private-user-1' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'The bearer token is invalid or has expired.', details: { reason: 'expired' } } });
    expect(server.embedded?.stats().connections).toBe(1); // refused channels do not close the connection
  });

  it('carries on with the refreshed token the page holds by then', async () => {
    let token = (await login('1', LIFETIME)).token;
    const page = await openPage('private-user-1', () => token);
    expect(await page.outcomes.at(0)).toBe(true);
    const events = new Inbox<unknown>();
    page.pusher.channel('private-user-1')?.bind('after', (data: unknown) => events.push(data));

    clock.advance((LIFETIME - 10) * 1000);
    token = (await login('1', LIFETIME)).token; // the page refreshed its token before it expired
    clock.advance(10 * 1000);
    expect(await page.closes.at(0, 5000)).toBe(4200); // the first grant expired all the same
    expect(await page.outcomes.at(1, 5000)).toBe(true);

    const trigger = await fetch(`${server.url}/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.config.triggerTokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'private-user-1', event: 'after', data: { ok: true } }),
    });
    expect(trigger.status).toBe(200);
    expect(await withTimeout(events.at(0), 5000, 'the event after reconnecting')).toEqual({ ok: true });
  });

  it('closes a connection signed in (pusher.signin) with an expiring token, too', async () => {
    const { token } = await login('2', LIFETIME);
    const { key, ...options } = await pusherOptions(server.url);
    const headers = { Authorization: `Bearer ${token}` };
    const client = new Pusher(key, { ...options, userAuthentication: { endpoint: `${server.url}/pusher/user-auth`, transport: 'ajax', headers } });
    pusher = client;
    const closes = new Inbox<number>();
    client.connection.bind('error', (err: { error?: { data?: { code?: number } } }) => err.error?.data?.code && closes.push(err.error.data.code));
    const signedIn = new Promise<void>((resolve) => client.connection.bind('message', ({ event }: { event: string }) => event === 'pusher:signin_success' && resolve()));
    client.signin();
    await withTimeout(signedIn, 5000, 'the sign-in');
    clock.advance(LIFETIME * 1000);
    expect(await closes.at(0, 5000)).toBe(4200);
  });
});
