/**
 * `expireConnection(socketId, expiresAt)`: once the credentials a connection was granted with
 * expire (by the injected clock), the heartbeat sweep closes it with 4200 so pusher-js reconnects
 * and authorizes again. The earliest expiry wins; unknown sockets and non-numbers are ignored.
 */
import { describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { withTimeout } from '../../../test/helpers/wait.js';
import { joinPresence, useEmbedded } from './fixture.js';
import { socketIds } from './helpers.js';
import type { RawClient } from '../../../conformance/raw-client.js';

const T = 1_900_000_000; // seconds since the epoch
const fixture = useEmbedded();

/** Idle clients are pinged after a second: a ping proves a sweep ran at the clock's time, so did not close. */
async function start(clock: ManualScheduler) {
  return fixture.start({ clock: clock.now, heartbeatIntervalMs: 5, activityTimeoutSeconds: 1, generateSocketId: socketIds('1.1', '2.2', '3.3') });
}

const swept = (client: RawClient) => client.waitFor((f) => f.event === 'pusher:ping', 'a sweep (its ping)');

describe('expireConnection', () => {
  it('closes the connection with 4200 once its expiry passes, and no other', async () => {
    const clock = new ManualScheduler(T * 1000 - 10_000);
    const running = await start(clock);
    const expiring = await fixture.connect();
    const other = await fixture.connect();
    running.embedded.expireConnection(expiring.socketId, T);

    clock.advance(9_999);
    await swept(expiring.client);
    expect(running.embedded.stats().connections).toBe(2);

    clock.advance(1);
    const closed = await withTimeout(expiring.client.closed, 5000, 'the expired connection to close');
    expect(closed).toEqual({ code: 4200, reason: 'credentials expired: authorize again' });
    await other.client.sync();
    expect(running.embedded.stats().connections).toBe(1);
  });

  it('keeps the earliest expiry: a later grant never extends an earlier one', async () => {
    const clock = new ManualScheduler(T * 1000);
    const running = await start(clock);
    const { client, socketId } = await fixture.connect();
    running.embedded.expireConnection(socketId, T + 20);
    running.embedded.expireConnection(socketId, T + 5);
    running.embedded.expireConnection(socketId, T + 60);
    clock.advance(4_999);
    await swept(client);
    clock.advance(1);
    expect((await withTimeout(client.closed, 5000, 'the close')).code).toBe(4200);
  });

  it('ignores unknown socket ids and expiries that are not finite numbers', async () => {
    const clock = new ManualScheduler(T * 1000);
    const running = await start(clock);
    const { client, socketId } = await fixture.connect();
    running.embedded.expireConnection('9.9', T);
    running.embedded.expireConnection(socketId, Number.NaN);
    running.embedded.expireConnection(socketId, Number.NEGATIVE_INFINITY);
    clock.advance(3_600_000);
    await swept(client);
    expect(running.embedded.stats().connections).toBe(1);
  });

  it('closes a connection whose expiry already passed at the next sweep, and tells presence members it left', async () => {
    const clock = new ManualScheduler(T * 1000);
    const running = await start(clock);
    const leaving = await fixture.connect();
    const staying = await fixture.connect();
    await joinPresence(leaving.client, leaving.socketId, 'presence-room', '{"user_id":"ada"}');
    await joinPresence(staying.client, staying.socketId, 'presence-room', '{"user_id":"bob"}');
    running.embedded.expireConnection(leaving.socketId, T - 1);
    expect((await withTimeout(leaving.client.closed, 5000, 'the close')).code).toBe(4200);
    const removed = await staying.client.waitFor((f) => f.event === 'pusher_internal:member_removed', 'member_removed');
    expect(JSON.parse(removed.data as string)).toEqual({ user_id: 'ada' });
    expect(running.embedded.stats()).toEqual({ connections: 1, channels: 1, presenceMembers: 1 });
  });
});
