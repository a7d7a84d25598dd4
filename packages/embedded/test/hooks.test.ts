/** The observer hooks (webhooks, metrics): what they are told, in what order, and that they cannot break the server. */
import { describe, expect, it } from 'vitest';
import type { EmbeddedHooks } from '../src/index.js';
import { succeeded } from './frames.js';
import { socketIds } from './helpers.js';
import { joinPresence, useEmbedded } from './fixture.js';

const fixture = useEmbedded();

describe('hooks', () => {
  it('reports occupied, member changes and vacated in order; a throwing hook breaks nothing', async () => {
    const seen: string[] = [];
    let connectionClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (connectionClosed = resolve));
    const hooks: EmbeddedHooks = {
      onConnectionOpened: (id) => seen.push(`open ${id}`),
      onConnectionClosed: (id) => {
        seen.push(`closed ${id}`);
        connectionClosed();
      },
      onChannelOccupied: (channel) => seen.push(`occupied ${channel}`),
      onChannelVacated: (channel) => seen.push(`vacated ${channel}`),
      onMemberAdded: (channel, user) => seen.push(`added ${channel} ${user}`),
      onMemberRemoved: (channel, user) => {
        seen.push(`removed ${channel} ${user}`);
        throw new Error('hook failure');
      },
    };
    await fixture.start({ hooks, generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    await joinPresence(client, '1.1', 'presence-h', '{"user_id":"u"}');
    client.send({ event: 'pusher:unsubscribe', data: { channel: 'presence-h' } });
    expect(await client.sync()).toEqual([]);
    client.terminate();
    await closed;
    expect(seen).toEqual(['open 1.1', 'occupied presence-h', 'added presence-h u', 'removed presence-h u', 'vacated presence-h', 'closed 1.1']);
  });

  it('calls several observers in order; one that throws does not stop the next', async () => {
    const seen: string[] = [];
    const throwing: EmbeddedHooks = {
      onChannelOccupied: () => {
        seen.push('first');
        throw new Error('boom');
      },
    };
    const counting: EmbeddedHooks = {
      onChannelOccupied: (channel) => seen.push(`second ${channel}`),
      onMessageIn: () => seen.push('in'),
      onMessageOut: (count) => seen.push(`out ${count}`),
    };
    await fixture.start({ hooks: [throwing, counting] });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'news' } });
    expect(await client.next()).toBe(succeeded('news'));
    expect(seen).toEqual(['out 1', 'in', 'out 1', 'first', 'second news']);
  });

  it('reports client events with the data string, socket id and presence user id', async () => {
    const events: unknown[] = [];
    await fixture.start({ hooks: { onClientEvent: (event) => events.push(event) }, generateSocketId: socketIds('1.1', '2.2') });
    const a = await fixture.connect();
    const b = await fixture.connect();
    await joinPresence(a.client, '1.1', 'presence-c', '{"user_id":"alice"}');
    await joinPresence(b.client, '2.2', 'presence-c', '{"user_id":"bob"}');
    a.client.send({ event: 'client-hi', channel: 'presence-c', data: { x: 1 } });
    await b.client.next();
    expect(events).toEqual([{ channel: 'presence-c', event: 'client-hi', data: '{"x":1}', socketId: '1.1', userId: 'alice' }]);
  });
});

