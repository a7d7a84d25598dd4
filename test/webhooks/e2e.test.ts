/**
 * End to end: pusher-js clients on one embedded instance; its webhooks (EMBEDDED_WEBHOOK_URL) go to
 * POST /pusher/webhooks of a second instance of ours with the same app credentials, whose handlers
 * record what arrives. Time for the debounce is a ManualScheduler: nothing here waits 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import type { WebhookEvent, WebhookHandlers } from '../../src/webhook-receiver/events.js';
import { connectClient, type TestClient } from '../helpers/pusher-client.js';
import { ManualScheduler } from '../helpers/scheduler.js';
import { appEnv, startTestServer } from '../helpers/server.js';
import { Inbox } from '../helpers/wait.js';

const T0 = Date.UTC(2030, 0, 1);
const scheduler = new ManualScheduler(T0);
const received = new Inbox<{ event: WebhookEvent; timeMs: number | undefined }>();
const record = (event: WebhookEvent, { timeMs }: { timeMs: number | undefined }) => received.push({ event, timeMs });
const handlers: WebhookHandlers = {
  channel_occupied: record,
  channel_vacated: record,
  member_added: record,
  member_removed: record,
  client_event: record,
};
let receiver: RunningServer;
let embedded: RunningServer;
let alice: TestClient;
let bob: TestClient;
let seen = 0;

/** The next webhooks, in arrival order (names and channels, plus user ids where given). */
async function next(count: number): Promise<Array<{ event: WebhookEvent; timeMs: number | undefined }>> {
  const items = await received.waitFor(seen + count, 5000, `${count} more webhooks`);
  const batch = items.slice(seen, seen + count);
  seen += count;
  return batch;
}

/** Webhooks are delivered in order: once a client event sent now arrives, everything before it has. */
async function barrier(): Promise<void> {
  alice.pusher.channel('presence-room')?.trigger('client-barrier', { n: seen });
  const [last] = await next(1);
  expect(last?.event).toMatchObject({ name: 'client_event', event: 'client-barrier' });
}

beforeAll(async () => {
  receiver = await startTestServer({ PUSHER_KEY: 'shared-key', PUSHER_SECRET: 'shared-secret-0123456789' }, { webhooks: { handlers } });
  embedded = await startTestServer(
    { ...appEnv(receiver), EMBEDDED_WEBHOOK_URL: `${receiver.url}/pusher/webhooks` },
    { webhooks: { scheduler } },
  );
  alice = await connectClient(embedded.url, { userId: '1' });
  bob = await connectClient(embedded.url, { userId: '2' });
});
afterAll(async () => {
  alice.disconnect();
  bob.disconnect();
  await embedded.close();
  await receiver.close();
});

describe('embedded webhooks reach our own receiver, signed, in order, debounced', () => {
  it('reports occupied and member_added at once', async () => {
    await alice.subscribe('presence-room');
    expect(await next(2)).toEqual([
      { event: { name: 'channel_occupied', channel: 'presence-room' }, timeMs: T0 },
      { event: { name: 'member_added', channel: 'presence-room', user_id: '1' }, timeMs: T0 },
    ]);
    await bob.subscribe('presence-room');
    expect((await next(1))[0]?.event).toEqual({ name: 'member_added', channel: 'presence-room', user_id: '2' });
  });

  it('reports client events with the sender socket and, on presence, its user', async () => {
    alice.pusher.channel('presence-room')?.trigger('client-typing', { typing: true });
    expect((await next(1))[0]?.event).toEqual({
      name: 'client_event',
      channel: 'presence-room',
      event: 'client-typing',
      data: '{"typing":true}',
      socket_id: alice.socketId,
      user_id: '1',
    });
  });

  it('sends member_removed 3 s after the last socket left, not before', async () => {
    bob.pusher.unsubscribe('presence-room');
    await scheduler.scheduled.at(0);
    scheduler.advance(2999);
    await barrier();
    scheduler.advance(1);
    expect(await next(1)).toEqual([{ event: { name: 'member_removed', channel: 'presence-room', user_id: '2' }, timeMs: T0 + 3000 }]);
  });

  it('sends nothing for a quick reconnect, and vacated when the channel stays empty 3 s', async () => {
    await alice.subscribe('private-user-1');
    expect((await next(1))[0]?.event).toEqual({ name: 'channel_occupied', channel: 'private-user-1' });
    const before = scheduler.scheduled.items.length;
    alice.pusher.unsubscribe('private-user-1');
    await scheduler.scheduled.at(before);
    scheduler.advance(1500);
    await alice.subscribe('private-user-1'); // back within 3 s: no vacated, no occupied
    scheduler.advance(10_000);
    await barrier();
    alice.pusher.unsubscribe('private-user-1');
    await scheduler.scheduled.at(before + 1);
    scheduler.advance(3000);
    expect((await next(1))[0]?.event).toEqual({ name: 'channel_vacated', channel: 'private-user-1' });
  });

  it('sends vacated for the presence channel once its last member is gone', async () => {
    const before = scheduler.scheduled.items.length;
    alice.disconnect();
    await scheduler.scheduled.at(before + 1); // member_removed, then channel_vacated
    scheduler.advance(3000);
    expect((await next(2)).map(({ event }) => event)).toEqual([
      { name: 'member_removed', channel: 'presence-room', user_id: '1' },
      { name: 'channel_vacated', channel: 'presence-room' },
    ]);
  });
});
