/** Presence: members are users (two connections of one user count once), and sign-in can stand for channel_data. */
import type { Check } from '../check.js';
import { sameJson, show } from '../check.js';
import { expect } from '../wait.js';

interface Member {
  id: string;
  info: unknown;
}

async function usersOf(kit: Parameters<Check['run']>[0], channel: string): Promise<string[]> {
  const res = await kit.sdk.get({ path: `/channels/${channel}/users` });
  const body = (await res.json()) as { users?: Array<{ id: string }> };
  return (body.users ?? []).map((user) => user.id).sort();
}

export const presenceChecks: Check[] = [
  {
    name: 'presence: members see member_added and member_removed',
    async run(kit) {
      const channelName = kit.name('presence-');
      const [alice, bob] = [kit.name('alice-'), kit.name('bob-')];
      const first = await kit.connect({ userId: alice, userInfo: { name: 'Alice' } });
      const channelA = await first.subscribePresence(channelName);
      expect(channelA.members.count === 1 && channelA.members.me?.id === alice, `first member view ${show(channelA.members.members)}`);
      const added = first.record(channelA, 'pusher:member_added');
      const removed = first.record(channelA, 'pusher:member_removed');
      const second = await kit.connect({ userId: bob, userInfo: { name: 'Bob' } });
      const channelB = await second.subscribePresence(channelName);
      expect(channelB.members.count === 2, `second sees count ${channelB.members.count}`);
      expect(sameJson(channelB.members.get(alice)?.info, { name: 'Alice' }), `second sees alice as ${show(channelB.members.get(alice))}`);
      const joined = (await added.next('member_added', kit.timeoutMs)).data as Member;
      expect(joined.id === bob && sameJson(joined.info, { name: 'Bob' }), `member_added ${show(joined)}`);
      second.disconnect();
      const left = (await removed.next('member_removed', kit.timeoutMs)).data as Member;
      expect(left.id === bob, `member_removed ${show(left)}`);
    },
  },
  {
    name: 'presence: two connections of one user count once (added on the first, removed after the last)',
    async run(kit) {
      const channelName = kit.name('presence-');
      const [alice, bob] = [kit.name('alice-'), kit.name('bob-')];
      const watcher = await kit.connect({ userId: alice });
      const channel = await watcher.subscribePresence(channelName);
      const added = watcher.record(channel, 'pusher:member_added');
      const removed = watcher.record(channel, 'pusher:member_removed');
      const tab1 = await kit.connect({ userId: bob });
      await tab1.subscribePresence(channelName);
      const tab2 = await kit.connect({ userId: bob });
      const secondTab = await tab2.subscribePresence(channelName);
      expect(secondTab.members.count === 2, `second tab sees count ${secondTab.members.count}`);
      await kit.marker(channel);
      expect(added.items.length === 1, `member_added fired ${added.items.length} times`);
      const users = await usersOf(kit, channelName);
      expect(sameJson(users, [alice, bob].sort()), `users ${show(users)}`);
      tab1.pusher.unsubscribe(channelName);
      await tab1.roundTrip();
      await kit.marker(channel);
      expect(removed.items.length === 0, 'member_removed fired while a second connection of the user remained');
      tab2.disconnect();
      const left = (await removed.next('member_removed after the last connection', kit.timeoutMs)).data as Member;
      expect(left.id === bob, `member_removed ${show(left)}`);
    },
  },
  {
    name: 'presence: a signed-in connection may subscribe without channel_data',
    async run(kit) {
      const channelName = kit.name('presence-');
      const carol = kit.name('carol-');
      const client = await kit.connect({ userId: carol, userInfo: { name: 'Carol' }, presenceFromSignin: true });
      await client.signin();
      const channel = await client.subscribePresence(channelName);
      expect(channel.members.me?.id === carol && channel.members.count === 1, `members ${show(channel.members.members)}`);
      const users = await usersOf(kit, channelName);
      expect(sameJson(users, [carol]), `users ${show(users)}`);
    },
  },
];
