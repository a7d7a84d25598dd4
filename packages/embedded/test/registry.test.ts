/** The channel registry and presence bookkeeping, without sockets. */
import { describe, expect, it } from 'vitest';
import { PresenceRoster } from '../src/state/presence.js';
import { PRESENCE_MAX_MEMBERS } from '@pusher-auth-server/pusher-core';
import { RollingRateLimit } from '../src/socket/connection.js';
import { TextFrame } from '../src/protocol/frame.js';
import { ChannelRegistry, type Subscriber } from '../src/state/registry.js';

class FakeSubscriber implements Subscriber {
  readonly received: string[] = [];
  constructor(readonly socketId: string) {}
  send(frame: TextFrame): boolean {
    this.received.push(frame.text);
    return true;
  }
}

describe('ChannelRegistry', () => {
  it('reports occupied on the first join and vacated on the last leave', () => {
    const registry = new ChannelRegistry<FakeSubscriber>();
    const [a, b] = [new FakeSubscriber('1.1'), new FakeSubscriber('2.2')];
    expect(registry.join('news', a)).toEqual({ alreadySubscribed: false, occupied: true, memberAdded: false });
    expect(registry.join('news', b)).toEqual({ alreadySubscribed: false, occupied: false, memberAdded: false });
    expect(registry.join('news', b)).toEqual({ alreadySubscribed: true, occupied: false, memberAdded: false });
    expect(registry.subscriptionCount('news')).toBe(2);
    expect(registry.leave('news', '1.1')).toEqual({ left: true, vacated: false, memberRemoved: undefined });
    expect(registry.leave('news', '1.1')).toEqual({ left: false, vacated: false, memberRemoved: undefined });
    expect(registry.leave('news', '2.2')).toEqual({ left: true, vacated: true, memberRemoved: undefined });
    expect([...registry.channelNames()]).toEqual([]);
    expect(registry.channelCount).toBe(0);
  });

  it('publishes the same frame to every subscriber but the excluded one', () => {
    const registry = new ChannelRegistry<FakeSubscriber>();
    const subscribers = ['1.1', '2.2', '3.3'].map((id) => new FakeSubscriber(id));
    for (const s of subscribers) registry.join('news', s);
    const frame = TextFrame.of('frame');
    expect(registry.publish('news', frame, '2.2')).toBe(2);
    expect(subscribers.map((s) => s.received)).toEqual([['frame'], [], ['frame']]);
    expect(registry.publish('nobody-here', frame)).toBe(0);
  });

  it('counts presence members per user: two sockets of one user are one member', () => {
    const registry = new ChannelRegistry<FakeSubscriber>();
    const [tab1, tab2, other] = [new FakeSubscriber('1.1'), new FakeSubscriber('1.2'), new FakeSubscriber('2.1')];
    expect(registry.join('presence-room', tab1, { userId: 'u1', userInfo: { name: 'One' } }).memberAdded).toBe(true);
    expect(registry.join('presence-room', tab2, { userId: 'u1', userInfo: { name: 'Ignored' } }).memberAdded).toBe(false);
    expect(registry.join('presence-room', other, { userId: 'u2' }).memberAdded).toBe(true);
    expect(registry.userCount('presence-room')).toBe(2);
    expect(registry.subscriptionCount('presence-room')).toBe(3);
    expect(registry.presenceMemberCount()).toBe(2);
    expect(registry.roster('presence-room')?.snapshot()).toEqual({ ids: ['u1', 'u2'], hash: { u1: { name: 'One' }, u2: null }, count: 2 });
    expect(registry.memberOf('presence-room', '1.2')).toEqual({ userId: 'u1', userInfo: { name: 'One' } });
    expect(registry.leave('presence-room', '1.1').memberRemoved).toBeUndefined();
    expect(registry.leave('presence-room', '1.2').memberRemoved).toBe('u1');
    expect(registry.leave('presence-room', '2.1')).toEqual({ left: true, vacated: true, memberRemoved: 'u2' });
  });

  it('has room for 100 distinct users; a member already present may always add a socket', () => {
    const registry = new ChannelRegistry<FakeSubscriber>();
    for (let i = 0; i < PRESENCE_MAX_MEMBERS; i += 1) registry.join('presence-full', new FakeSubscriber(`${i}.0`), { userId: `u${i}` });
    expect(registry.hasRoomFor('presence-full', 'u100')).toBe(false);
    expect(registry.hasRoomFor('presence-full', 'u7')).toBe(true);
    expect(registry.hasRoomFor('presence-empty', 'anyone')).toBe(true);
  });
});

describe('PresenceRoster', () => {
  it('treats __proto__ as an ordinary user id', () => {
    const roster = new PresenceRoster();
    roster.add('1.1', { userId: '__proto__', userInfo: { evil: true } });
    const snapshot = roster.snapshot();
    expect(JSON.stringify(snapshot)).toBe('{"ids":["__proto__"],"hash":{"__proto__":{"evil":true}},"count":1}');
  });

  it('ignores a socket added twice', () => {
    const roster = new PresenceRoster();
    expect(roster.add('1.1', { userId: 'a' })).toBe(true);
    expect(roster.add('1.1', { userId: 'b' })).toBe(false);
    expect(roster.userIds()).toEqual(['a']);
    expect(roster.remove('9.9')).toBeUndefined();
  });
});

describe('RollingRateLimit', () => {
  it('accepts 10 in any rolling second; refusals do not count', () => {
    const limit = new RollingRateLimit(10, 1000);
    for (let i = 0; i < 10; i += 1) expect(limit.tryAccept(1000 + i * 10)).toBe(true);
    expect(limit.tryAccept(1500)).toBe(false);
    expect(limit.tryAccept(1999)).toBe(false);
    expect(limit.tryAccept(2000)).toBe(true);
    expect(limit.tryAccept(2005)).toBe(false);
    expect(limit.tryAccept(2010)).toBe(true);
  });
});
