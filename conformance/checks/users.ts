/** Sign-in, server-to-user messages and terminating a user's connections. */
import type { Check } from '../check.js';
import { sameJson, show } from '../check.js';
import { expect, Recorder } from '../wait.js';

export const userChecks: Check[] = [
  {
    name: 'sendToUser reaches the signed-in user on #server-to-user-<id>',
    async run(kit) {
      const dave = kit.name('dave-');
      const client = await kit.connect({ userId: dave });
      const subscribed = client.waitForMessage(
        '#server-to-user subscription',
        (event) => event.event === 'pusher_internal:subscription_succeeded' && event.channel === `#server-to-user-${dave}`,
      );
      // Awaited together, so a sign-in that never succeeds leaves no rejection unhandled.
      await Promise.all([client.signin(), subscribed]);
      const received = new Recorder<unknown>();
      client.pusher.user.bind('conformance-dm', received.push);
      await kit.sdk.sendToUser(dave, 'conformance-dm', { for: dave });
      const data = await received.next('server-to-user event', kit.timeoutMs);
      expect(sameJson(data, { for: dave }), `received ${show(data)}`);
    },
  },
  {
    name: 'a connection not signed in is refused #server-to-user-<id> and gets none of its events',
    async run(kit) {
      const victim = kit.name('victim-');
      const channel = `#server-to-user-${victim}`;
      const raw = await kit.raw();
      await raw.nextFrame('pusher:connection_established');
      raw.send({ event: 'pusher:subscribe', data: { channel, auth: '' } });
      const answer = await raw.nextFrame(`an answer to subscribing to ${channel}`);
      const refused = answer.event === 'pusher:error' || (answer.event === 'pusher_internal:subscription_error' && answer.channel === channel);
      expect(refused, `expected a refusal, got ${show(answer)}`);
      await kit.sdk.sendToUser(victim, 'conformance-dm', { for: victim });
      raw.send({ event: 'pusher:ping', data: {} });
      const next = await raw.nextFrame('pusher:pong');
      expect(next.event === 'pusher:pong', `the user's event reached a connection not signed in: ${show(next)}`);
    },
  },
  {
    name: 'terminateUserConnections closes the user connections with 4009 and no others',
    async run(kit) {
      const erin = kit.name('erin-');
      const [target, bystander] = await Promise.all([kit.connect({ userId: erin }), kit.connect()]);
      await target.signin();
      const channel = await bystander.subscribe(kit.name(''));
      await kit.sdk.terminateUserConnections(erin);
      await target.waitForState('disconnected');
      const error = await target.errors.next('error code 4009', kit.timeoutMs);
      expect(error.code === 4009, `error ${show(error)}`);
      await kit.marker(channel);
      expect(bystander.state === 'connected', `bystander state ${bystander.state}`);
    },
  },
  {
    name: 'sign-in with a bad signature is refused with 4009',
    async run(kit) {
      const client = await kit.connect({ userId: kit.name('mallory-'), forgeUserAuth: true });
      client.pusher.signin();
      await client.waitForState('disconnected');
      const error = await client.errors.next('error code 4009', kit.timeoutMs);
      expect(error.code === 4009, `error ${show(error)}`);
    },
  },
];
