/** Public, private and encrypted delivery of SDK triggers; forged subscriptions; socket_id exclusion. */
import type { Check } from '../check.js';
import { sameJson, show } from '../check.js';
import { expect } from '../wait.js';

const payload = { text: 'héllo ✓', n: 42, nested: { list: [1, 'two', null] } };

function deliveryCheck(prefix: string, label: string): Check {
  return {
    name: `${label} channel receives an SDK trigger`,
    async run(kit) {
      const client = await kit.connect();
      const channelName = kit.name(prefix);
      const channel = await client.subscribe(channelName);
      const events = client.record(channel, 'conformance-event');
      await kit.sdk.trigger(channelName, 'conformance-event', payload);
      const { data } = await events.next('conformance-event', kit.timeoutMs);
      expect(sameJson(data, payload), `received ${show(data)}`);
    },
  };
}

export const channelChecks: Check[] = [
  deliveryCheck('', 'public'),
  deliveryCheck('private-', 'private'),
  deliveryCheck('private-encrypted-', 'private-encrypted (SDK encrypts, pusher-js decrypts)'),
  {
    name: 'a trigger to several channels reaches each',
    async run(kit) {
      const client = await kit.connect();
      const names = [kit.name(''), kit.name('private-')];
      const channels = await Promise.all(names.map((name) => client.subscribe(name)));
      const recorders = channels.map((channel) => client.record(channel, 'conformance-multi'));
      await kit.sdk.trigger(names, 'conformance-multi', { multi: true });
      for (const recorder of recorders) {
        const { data } = await recorder.next('conformance-multi', kit.timeoutMs);
        expect(sameJson(data, { multi: true }), `received ${show(data)}`);
      }
    },
  },
  {
    name: 'triggerBatch delivers every event',
    async run(kit) {
      const client = await kit.connect();
      const [a, b] = [kit.name(''), kit.name('private-')];
      const [channelA, channelB] = await Promise.all([client.subscribe(a), client.subscribe(b)]);
      if (!channelA || !channelB) throw new Error('subscriptions missing');
      const first = client.record(channelA, 'conformance-batch-1');
      const second = client.record(channelB, 'conformance-batch-2');
      await kit.sdk.triggerBatch([
        { channel: a, name: 'conformance-batch-1', data: { i: 1 } },
        { channel: b, name: 'conformance-batch-2', data: 'plain string' },
      ]);
      const one = await first.next('batch event 1', kit.timeoutMs);
      const two = await second.next('batch event 2', kit.timeoutMs);
      expect(sameJson(one.data, { i: 1 }), `event 1 data ${show(one.data)}`);
      expect(two.data === 'plain string', `event 2 data ${show(two.data)}`);
    },
  },
  {
    name: 'forged subscription gets pusher:error (code null, naming the string to sign) and the connection stays open',
    async run(kit) {
      const client = await kit.connect({ forgeChannelAuth: true });
      const open = await client.subscribe(kit.name(''));
      const forgedName = kit.name('private-');
      client.pusher.subscribe(forgedName);
      const error = await client.errors.next('pusher:error', kit.timeoutMs);
      expect(error.code === null, `code ${show(error.code)}, expected null`);
      const expected = `${client.socketId}:${forgedName}`;
      expect((error.message ?? '').includes(expected), `message ${show(error.message)} does not name ${expected}`);
      expect(client.pusher.channel(forgedName)?.subscribed !== true, 'the forged channel counts as subscribed');
      await kit.marker(open);
      expect(client.state === 'connected', `state ${client.state}`);
    },
  },
  {
    name: 'socket_id excludes that connection from a trigger',
    async run(kit) {
      const [excluded, other] = await Promise.all([kit.connect(), kit.connect()]);
      const name = kit.name('');
      const [channelX, channelO] = await Promise.all([excluded.subscribe(name), other.subscribe(name)]);
      const missed = excluded.record(channelX, 'conformance-excluded');
      const got = other.record(channelO, 'conformance-excluded');
      await kit.sdk.trigger(name, 'conformance-excluded', { x: 1 }, { socket_id: excluded.socketId });
      await got.next('event at the other connection', kit.timeoutMs);
      await kit.marker(channelX);
      expect(missed.items.length === 0, 'the excluded connection received the event');
    },
  },
];
