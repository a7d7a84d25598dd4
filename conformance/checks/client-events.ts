/** Client events: delivered to the other subscribers, never echoed, refused on public channels. */
import type { Check } from '../check.js';
import { sameJson, show } from '../check.js';
import { expect } from '../wait.js';

export const clientEventChecks: Check[] = [
  {
    name: 'client event reaches the other subscriber, not its sender',
    async run(kit) {
      const [sender, receiver] = await Promise.all([kit.connect(), kit.connect()]);
      const name = kit.name('private-');
      const [sent, received] = await Promise.all([sender.subscribe(name), receiver.subscribe(name)]);
      const echo = sender.record(sent, 'client-conformance');
      const delivered = receiver.record(received, 'client-conformance');
      sent.trigger('client-conformance', { hello: 'world' });
      const { data } = await sender.unlessError('client event at the receiver', delivered.next('client event at the receiver', kit.timeoutMs));
      expect(sameJson(data, { hello: 'world' }), `received ${show(data)}`);
      await kit.marker(sent);
      expect(echo.items.length === 0, 'the sender received its own client event');
    },
  },
  {
    name: 'client event on a presence channel carries the sender user_id',
    async run(kit) {
      const name = kit.name('presence-');
      const [alice, bob] = [kit.name('alice-'), kit.name('bob-')];
      const [sender, receiver] = await Promise.all([kit.connect({ userId: alice }), kit.connect({ userId: bob })]);
      const [sent, received] = await Promise.all([sender.subscribePresence(name), receiver.subscribePresence(name)]);
      const delivered = receiver.record(received, 'client-conformance');
      sent.trigger('client-conformance', { n: 1 });
      const { data, metadata } = await sender.unlessError('client event at the receiver', delivered.next('client event at the receiver', kit.timeoutMs));
      expect(sameJson(data, { n: 1 }), `received ${show(data)}`);
      expect((metadata as { user_id?: string } | undefined)?.user_id === alice, `metadata ${show(metadata)}`);
    },
  },
  {
    name: 'client event on a public channel is refused with pusher:error and not delivered',
    async run(kit) {
      const [sender, receiver] = await Promise.all([kit.connect(), kit.connect()]);
      const name = kit.name('');
      const [sent, received] = await Promise.all([sender.subscribe(name), receiver.subscribe(name)]);
      const delivered = receiver.record(received, 'client-conformance');
      sent.trigger('client-conformance', { n: 1 });
      const error = await sender.errors.next('pusher:error', kit.timeoutMs);
      expect(typeof error.message === 'string' && error.message.length > 0, `error ${show(error)}`);
      await kit.marker(received);
      expect(delivered.items.length === 0, 'the client event was delivered on a public channel');
      expect(sender.state === 'connected', `sender state ${sender.state}`);
    },
  },
];
