/**
 * GET /console/state stays bounded on a busy server: at most STATE_LIMITS.channels channels and
 * STATE_LIMITS.membersPerChannel members per presence channel are listed, the counts stay exact,
 * and `truncated` says when something was left out. Real server, raw protocol-7 clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../conformance/raw-client.js';
import { boundedState, STATE_LIMITS } from '../../src/console/state.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { expectedAuth } from '../helpers/tokens.js';
import { consoleFetch } from '../helpers/console.js';

const PRESENCE = 'presence-full';
const INFO = { name: 'n'.repeat(900) }; // near the 1 KB user_info cap: what makes big answers big
let server: RunningServer;
let token: string;
const clients: RawClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  token = server.config.consoleToken as string;
});
afterAll(async () => {
  for (const client of clients) client.terminate();
  await server.close();
});

async function connect(): Promise<RawClient> {
  const client = await RawClient.connect(server.url, server.config.app.key);
  clients.push(client);
  return client;
}

const subscribed = (client: RawClient, channel: string) =>
  client.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === channel, `${channel} subscribed`);

async function join(userId: string): Promise<void> {
  const client = await connect();
  const channelData = JSON.stringify({ user_id: userId, user_info: INFO });
  const auth = expectedAuth(server.config.app, `${client.socketId}:${PRESENCE}:${channelData}`);
  client.send({ event: 'pusher:subscribe', data: { channel: PRESENCE, auth, channel_data: channelData } });
  await subscribed(client, PRESENCE);
}

async function subscribePublic(client: RawClient, names: string[]): Promise<void> {
  for (const channel of names) client.send({ event: 'pusher:subscribe', data: { channel } });
  await Promise.all(names.map((channel) => subscribed(client, channel)));
}

interface StateBody {
  channelCount: number;
  channels: Array<{ name: string; subscribers: number; memberCount?: number; members?: Array<{ id: string }> }>;
  truncated: boolean;
}

async function state(): Promise<{ body: StateBody; bytes: number }> {
  const { status, body } = await consoleFetch(server.url, '/console/state', { token });
  expect(status).toBe(200);
  return { body: body as StateBody, bytes: JSON.stringify(body).length };
}

describe('GET /console/state at its limits', () => {
  it('lists everything up to the limits, then exact counts, the first names and truncated: true', async () => {
    const hub = await connect();
    const rooms = Array.from({ length: STATE_LIMITS.channels - 1 }, (_, i) => `room-${String(i).padStart(3, '0')}`);
    await subscribePublic(hub, rooms);
    for (let i = 0; i < STATE_LIMITS.membersPerChannel; i += 1) await join(`member-${i}`);

    const atLimit = await state();
    expect(atLimit.body.channelCount).toBe(STATE_LIMITS.channels);
    expect(atLimit.body.channels).toHaveLength(STATE_LIMITS.channels);
    expect(atLimit.body.truncated).toBe(false);
    const full = atLimit.body.channels.find((c) => c.name === PRESENCE);
    expect(full?.memberCount).toBe(STATE_LIMITS.membersPerChannel);
    expect(full?.members).toHaveLength(STATE_LIMITS.membersPerChannel);

    await join('member-over');
    const overMembers = await state();
    const cut = overMembers.body.channels.find((c) => c.name === PRESENCE);
    expect(cut).toMatchObject({ subscribers: STATE_LIMITS.membersPerChannel + 1, memberCount: STATE_LIMITS.membersPerChannel + 1 });
    expect(cut?.members).toHaveLength(STATE_LIMITS.membersPerChannel);
    expect(overMembers.body.truncated).toBe(true);

    await subscribePublic(hub, ['room-999']);
    const overChannels = await state();
    expect(overChannels.body.channelCount).toBe(STATE_LIMITS.channels + 1);
    expect(overChannels.body.channels).toHaveLength(STATE_LIMITS.channels);
    expect(overChannels.body.channels.map((c) => c.name)).not.toContain('room-999'); // names in order: the last is left out
    expect(overChannels.body.truncated).toBe(true);
    expect(overChannels.bytes).toBeLessThan(40_000);
  });
});

describe('boundedState', () => {
  it('lists at most STATE_LIMITS.users signed-in users, with the exact count', () => {
    const users = Array.from({ length: STATE_LIMITS.users + 1 }, (_, i) => ({ id: `u${i}`, connections: 1 }));
    const snapshot = { connections: users.length, channels: [], channelCount: 0, users, userCount: users.length };
    const bounded = boundedState(snapshot);
    expect(bounded.users).toEqual(users.slice(0, STATE_LIMITS.users));
    expect(bounded.userCount).toBe(STATE_LIMITS.users + 1);
    expect(bounded.truncated).toBe(true);
    expect(boundedState({ ...snapshot, users: users.slice(1), userCount: STATE_LIMITS.users }).truncated).toBe(false);
  });
});
