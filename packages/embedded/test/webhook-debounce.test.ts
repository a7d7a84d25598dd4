/** The 3 s debounce of channel_vacated / member_removed, with time pinned by a ManualScheduler. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createDebouncer, DEBOUNCE_MS, type Debouncer } from '../src/webhook-sender/debounce.js';
import type { EmbeddedWebhookEvent } from '../src/webhook-sender/payload.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';

let scheduler: ManualScheduler;
let emitted: Array<{ at: number; event: EmbeddedWebhookEvent }>;
let hooks: Debouncer;
const T0 = Date.UTC(2030, 0, 1);

beforeEach(() => {
  scheduler = new ManualScheduler(T0);
  emitted = [];
  hooks = createDebouncer(scheduler, (event) => emitted.push({ at: scheduler.now(), event }));
});

describe('channel_occupied / channel_vacated', () => {
  it('reports occupied at once and vacated exactly 3 s after the last subscriber left', () => {
    expect(DEBOUNCE_MS).toBe(3000);
    hooks.onChannelOccupied('news');
    expect(emitted).toEqual([{ at: T0, event: { name: 'channel_occupied', channel: 'news' } }]);
    scheduler.advance(500);
    hooks.onChannelVacated('news');
    scheduler.advance(2999);
    expect(emitted).toHaveLength(1);
    scheduler.advance(1);
    expect(emitted[1]).toEqual({ at: T0 + 3500, event: { name: 'channel_vacated', channel: 'news' } });
  });

  it('sends nothing at all for a quick reconnect: the vacated is cancelled and the occupied suppressed', () => {
    hooks.onChannelOccupied('news');
    hooks.onChannelVacated('news');
    scheduler.advance(2999);
    hooks.onChannelOccupied('news');
    scheduler.advance(60_000);
    expect(emitted.map((e) => e.event.name)).toEqual(['channel_occupied']);
    expect(hooks.pendingCount).toBe(0);
  });

  it('reports both when the come-back is 3 s or later', () => {
    hooks.onChannelOccupied('news');
    hooks.onChannelVacated('news');
    scheduler.advance(3000);
    hooks.onChannelOccupied('news');
    expect(emitted.map((e) => [e.at - T0, e.event.name])).toEqual([
      [0, 'channel_occupied'],
      [3000, 'channel_vacated'],
      [3000, 'channel_occupied'],
    ]);
  });

  it('keeps channels apart', () => {
    hooks.onChannelVacated('a');
    scheduler.advance(1000);
    hooks.onChannelVacated('b');
    hooks.onChannelOccupied('a');
    scheduler.advance(5000);
    expect(emitted).toEqual([{ at: T0 + 4000, event: { name: 'channel_vacated', channel: 'b' } }]);
  });
});

describe('member_added / member_removed', () => {
  it('debounces per user and channel, in the order the leaves happened', () => {
    hooks.onMemberAdded('presence-r', '1');
    hooks.onMemberAdded('presence-r', '2');
    hooks.onMemberRemoved('presence-r', '1');
    hooks.onMemberRemoved('presence-r', '2');
    hooks.onChannelVacated('presence-r');
    scheduler.advance(1000);
    hooks.onMemberAdded('presence-r', '2'); // user 2 reloaded the page: nothing about user 2
    scheduler.advance(2000);
    expect(emitted.map(({ event }) => event)).toEqual([
      { name: 'member_added', channel: 'presence-r', user_id: '1' },
      { name: 'member_added', channel: 'presence-r', user_id: '2' },
      { name: 'member_removed', channel: 'presence-r', user_id: '1' },
      { name: 'channel_vacated', channel: 'presence-r' },
    ]);
  });

  it('does not let one user cancel another user or another channel', () => {
    hooks.onMemberRemoved('presence-r', '1');
    hooks.onMemberAdded('presence-r', '2');
    hooks.onMemberAdded('presence-s', '1');
    scheduler.advance(3000);
    expect(emitted.map(({ event }) => event)).toEqual([
      { name: 'member_added', channel: 'presence-r', user_id: '2' },
      { name: 'member_added', channel: 'presence-s', user_id: '1' },
      { name: 'member_removed', channel: 'presence-r', user_id: '1' },
    ]);
  });
});

describe('client_event and shutdown', () => {
  it('reports client events at once, user_id only when given', () => {
    hooks.onClientEvent({ channel: 'private-a', event: 'client-x', data: '{"a":1}', socketId: '1.2' });
    hooks.onClientEvent({ channel: 'presence-a', event: 'client-y', data: '"s"', socketId: '3.4', userId: '7' });
    expect(emitted.map(({ event }) => event)).toEqual([
      { name: 'client_event', channel: 'private-a', event: 'client-x', data: '{"a":1}', socket_id: '1.2' },
      { name: 'client_event', channel: 'presence-a', event: 'client-y', data: '"s"', socket_id: '3.4', user_id: '7' },
    ]);
  });

  it('drops what is still waiting on cancelAll', () => {
    hooks.onChannelVacated('a');
    hooks.onMemberRemoved('presence-a', '1');
    expect(hooks.pendingCount).toBe(2);
    hooks.cancelAll();
    scheduler.advance(10_000);
    expect(emitted).toEqual([]);
  });
});
