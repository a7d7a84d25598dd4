/** Subscriptions with a raw client: exact frames for public, private, presence, encrypted and server-to-user. */
import { describe, expect, it } from 'vitest';
import { authString, CHANNEL_NAME_RULE, userStringToSign } from '@pusher-auth-server/pusher-core';
import { errorFrame, sign, succeeded } from './frames.js';
import { socketIds, TEST_APP, type RunningEmbedded } from './helpers.js';
import { joinPresence, useEmbedded } from './fixture.js';
import { RawClient } from '../../../conformance/raw-client.js';

const fixture = useEmbedded();
let server: RunningEmbedded;

describe('public and private channels', () => {
  it('subscribes to a public channel without auth', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'news', auth: '' } });
    expect(await client.next()).toBe(succeeded('news'));
    expect(server.embedded.stats()).toEqual({ connections: 1, channels: 1, presenceMembers: 0 });
  });

  it('accepts the docs vector D1 for socket 1234.1234 on private-foobar', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1234.1234') });
    const { client } = await fixture.connect();
    const auth = '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4';
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-foobar', auth } });
    expect(await client.next()).toBe(succeeded('private-foobar'));
  });

  it('answers a bad signature with pusher:error code null naming the string to sign, and stays open', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1234.1234') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-foobar', auth: `${TEST_APP.key}:deadbeef` } });
    expect(await client.next()).toBe(
      errorFrame(null, 'Invalid signature: Expected HMAC SHA256 hex digest of 1234.1234:private-foobar, but got deadbeef'),
    );
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-other' } });
    expect(await client.next()).toBe(errorFrame(null, 'Invalid signature: Expected HMAC SHA256 hex digest of 1234.1234:private-other, but got '));
    expect(await client.sync()).toEqual([]);
    expect(server.embedded.stats().channels).toBe(0);
  });

  it('refuses an auth made for another socket id, and one with another key', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const forOther = sign('2.2', 'private-a');
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: forOther } });
    expect(await client.next()).toBe(
      errorFrame(null, `Invalid signature: Expected HMAC SHA256 hex digest of 1.1:private-a, but got ${forOther.split(':')[1] ?? ''}`),
    );
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: 'other-key:abc' } });
    expect(await client.next()).toBe(errorFrame(null, "Invalid key in subscription auth data: 'other-key'"));
  });

  it('refuses an auth replayed from another live socket, on private and presence channels', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1', '2.2') });
    const a = await fixture.connect();
    const b = await fixture.connect();
    const privateAuth = sign('1.1', 'private-a');
    a.client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: privateAuth } });
    expect(await a.client.next()).toBe(succeeded('private-a'));
    b.client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: privateAuth } });
    expect(await b.client.next()).toBe(
      errorFrame(null, `Invalid signature: Expected HMAC SHA256 hex digest of 2.2:private-a, but got ${privateAuth.split(':')[1] ?? ''}`),
    );
    const channelData = '{"user_id":"alice"}';
    const presenceAuth = sign('1.1', 'presence-a', channelData);
    expect(await joinPresence(a.client, '1.1', 'presence-a', channelData)).toMatch(/^\{"event":"pusher_internal:subscription_succeeded"/);
    b.client.send({ event: 'pusher:subscribe', data: { channel: 'presence-a', auth: presenceAuth, channel_data: channelData } });
    expect(await b.client.next()).toBe(
      errorFrame(null, `Invalid signature: Expected HMAC SHA256 hex digest of 2.2:presence-a:${channelData}, but got ${presenceAuth.split(':')[1] ?? ''}`),
    );
    expect(server.embedded.stats()).toEqual({ connections: 2, channels: 2, presenceMembers: 1 });
  });

  it('signs channel_data whenever it is present, even empty, on any channel type', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const withoutData = sign('1.1', 'private-a');
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: withoutData, channel_data: '' } });
    expect(await client.next()).toBe(
      errorFrame(null, `Invalid signature: Expected HMAC SHA256 hex digest of 1.1:private-a:, but got ${withoutData.split(':')[1] ?? ''}`),
    );
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: sign('1.1', 'private-a', ''), channel_data: '' } });
    expect(await client.next()).toBe(succeeded('private-a'));
  });

  it('accepts private-encrypted like private (V13: channel_data appended, no shared_secret signed)', async () => {
    server = await fixture.start({ app: { appId: '1', key: 'f00d', secret: 'tofu' }, generateSocketId: socketIds('123.456', '123.457') });
    const { client } = await fixture.connect('f00d');
    const auth = 'f00d:962c48b78bf93d98ff4c92ee7dff04865821455b7b401e9d60a9e0a90af2c105';
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-encrypted-bla', auth, channel_data: '"foo"' } });
    expect(await client.next()).toBe(succeeded('private-encrypted-bla'));
  });

  it.each([
    ['a name over 164 characters', `private-${'a'.repeat(157)}`],
    ['a name with a space', 'news today'],
    ['an empty name', ''],
    ['a # name that is not server-to-user', '#other'],
  ])('refuses %s', async (_label, channel) => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel, auth: '' } });
    const frame = JSON.parse(await client.next()) as { event: string; data: string };
    expect(frame.event).toBe('pusher:error');
    expect(JSON.parse(frame.data)).toEqual({ code: null, message: `Invalid channel name '${channel}': ${CHANNEL_NAME_RULE}` });
  });

  it('accepts a name of exactly 164 characters', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    const channel = `n${'a'.repeat(163)}`;
    client.send({ event: 'pusher:subscribe', data: { channel } });
    expect(await client.next()).toBe(succeeded(channel));
  });

  it('unsubscribes silently, and leaving a channel never joined is not an error', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'news' } });
    await client.next();
    client.send({ event: 'pusher:unsubscribe', data: { channel: 'news' } });
    client.send({ event: 'pusher:unsubscribe', data: { channel: 'never-joined' } });
    expect(await client.sync()).toEqual([]);
    expect(server.embedded.stats().channels).toBe(0);
  });
});

describe('presence channels', () => {
  it('sends the roster, then member_added to the others and member_removed after the last socket', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1', '2.1', '2.2') });
    const { client: alice } = await fixture.connect();
    const [{ client: bob1 }, { client: bob2 }] = [await fixture.connect(), await fixture.connect()];
    const aliceData = '{"user_id":"alice","user_info":{"name":"Alice"}}';
    const bobData = '{"user_id":"bob"}';
    expect(await joinPresence(alice, '1.1', 'presence-room', aliceData)).toBe(
      succeeded('presence-room', { presence: { ids: ['alice'], hash: { alice: { name: 'Alice' } }, count: 1 } }),
    );
    expect(await joinPresence(bob1, '2.1', 'presence-room', bobData)).toBe(
      succeeded('presence-room', { presence: { ids: ['alice', 'bob'], hash: { alice: { name: 'Alice' }, bob: null }, count: 2 } }),
    );
    expect(await alice.next()).toBe('{"event":"pusher_internal:member_added","channel":"presence-room","data":"{\\"user_id\\":\\"bob\\"}"}');
    await joinPresence(bob2, '2.2', 'presence-room', bobData);
    expect(await alice.sync()).toEqual([]);
    expect(await bob1.sync()).toEqual([]);
    expect(server.embedded.stats()).toEqual({ connections: 3, channels: 1, presenceMembers: 2 });
    bob1.terminate();
    await bob1.closed;
    expect(await alice.sync()).toEqual([]);
    bob2.send({ event: 'pusher:unsubscribe', data: { channel: 'presence-room' } });
    expect(await alice.next()).toBe('{"event":"pusher_internal:member_removed","channel":"presence-room","data":"{\\"user_id\\":\\"bob\\"}"}');
    expect(await alice.sync()).toEqual([]);
    expect(server.embedded.stats().presenceMembers).toBe(1);
  });

  it('verifies the exact channel_data bytes, never a re-serialization', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const sent = '{ "user_id" : "u\\/1", "user_info": {"b":1,"a":2} }';
    const reserialized = JSON.stringify(JSON.parse(sent));
    client.send({ event: 'pusher:subscribe', data: { channel: 'presence-x', auth: sign('1.1', 'presence-x', reserialized), channel_data: sent } });
    expect(JSON.parse((JSON.parse(await client.next()) as { data: string }).data)).toMatchObject({ code: null });
    expect(await joinPresence(client, '1.1', 'presence-x', sent)).toBe(
      succeeded('presence-x', { presence: { ids: ['u/1'], hash: { 'u/1': { b: 1, a: 2 } }, count: 1 } }),
    );
  });

  it('refuses a connection its 1,001st channel, and keeps it open', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    for (let i = 0; i < 1000; i += 1) {
      client.send({ event: 'pusher:subscribe', data: { channel: `c-${i}`, auth: '' } });
      expect(await client.next()).toBe(succeeded(`c-${i}`));
    }
    client.send({ event: 'pusher:subscribe', data: { channel: 'c-1000', auth: '' } });
    expect(await client.next()).toBe(errorFrame(null, 'Cannot subscribe to c-1000: at most 1000 channels per connection'));
    client.send({ event: 'pusher:subscribe', data: { channel: 'c-0', auth: '' } });
    expect(await client.next()).toBe(succeeded('c-0'));
  });

  it('accepts a numeric user_id as its string', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    expect(await joinPresence(client, '1.1', 'presence-x', '{"user_id":10}')).toBe(
      succeeded('presence-x', { presence: { ids: ['10'], hash: { '10': null }, count: 1 } }),
    );
  });

  it.each([
    ['user_info over 1 KB', JSON.stringify({ user_id: 'u', user_info: { bio: 'x'.repeat(1020) } }), 'user_info for presence-x is over 1024 bytes'],
    ['no user_id', '{"user_info":{}}', 'Invalid channel_data for presence-x: user_id must be a string'],
    ['a user_id over 128 characters', JSON.stringify({ user_id: 'u'.repeat(129) }), 'Invalid user_id for presence-x: 1..128 characters'],
    ['channel_data that is not JSON', 'nope', 'Invalid channel_data for presence-x: not JSON'],
  ])('refuses %s', async (_label, channelData, message) => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    expect(await joinPresence(client, '1.1', 'presence-x', channelData)).toBe(errorFrame(null, message));
  });

  it('refuses user_info nested 5,000 arrays deep with 4301, the connection kept', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const channelData = `{"user_id":"u","user_info":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(await joinPresence(client, '1.1', 'presence-x', channelData)).toBe(errorFrame(4301, 'user_info for presence-x nests more than 64 levels deep'));
    expect(await joinPresence(client, '1.1', 'presence-x', '{"user_id":"u"}')).toBe(succeeded('presence-x', { presence: { ids: ['u'], hash: { u: null }, count: 1 } }));
  });

  it('accepts user_info of exactly 1,024 bytes', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const info = { bio: 'x'.repeat(1024 - '{"bio":""}'.length) };
    const reply = await joinPresence(client, '1.1', 'presence-x', JSON.stringify({ user_id: 'u', user_info: info }));
    expect(JSON.parse(reply)).toMatchObject({ event: 'pusher_internal:subscription_succeeded' });
  });

  it('refuses the 101st member, while a 100th member may open another socket', async () => {
    server = await fixture.start({ maxConnectionsPerIp: 0 });
    const sockets = await Promise.all(Array.from({ length: 102 }, () => fixture.connect()));
    for (let i = 0; i < 100; i += 1) {
      const { client, socketId } = sockets[i] as { client: RawClient; socketId: string };
      const reply = await joinPresence(client, socketId, 'presence-big', JSON.stringify({ user_id: `u${i}` }));
      expect(reply.startsWith('{"event":"pusher_internal:subscription_succeeded"')).toBe(true);
    }
    const extra = sockets[100] as { client: RawClient; socketId: string };
    expect(await joinPresence(extra.client, extra.socketId, 'presence-big', '{"user_id":"u100"}')).toBe(
      errorFrame(null, 'Presence channel presence-big is full: at most 100 members'),
    );
    const secondTab = sockets[101] as { client: RawClient; socketId: string };
    const reply = await joinPresence(secondTab.client, secondTab.socketId, 'presence-big', '{"user_id":"u7"}');
    expect(reply.startsWith('{"event":"pusher_internal:subscription_succeeded"')).toBe(true);
  });

  it('uses the signed-in user when channel_data is absent (docs/protocol.md#auth-endpoint-answers), and refuses when not signed in', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'presence-x', auth: sign('1.1', 'presence-x') } });
    expect(await client.next()).toBe(errorFrame(null, 'Presence channel presence-x needs channel_data, or a connection signed in with pusher:signin'));
    const userData = '{"id":"carol","user_info":{"name":"Carol"}}';
    client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1.1', userData)), user_data: userData } });
    await client.next();
    client.send({ event: 'pusher:subscribe', data: { channel: 'presence-x', auth: sign('1.1', 'presence-x') } });
    expect(await client.next()).toBe(succeeded('presence-x', { presence: { ids: ['carol'], hash: { carol: { name: 'Carol' } }, count: 1 } }));
  });
});

describe('#server-to-user-<id>', () => {
  it('is open only to the connection signed in as that user', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-dave', auth: '' } });
    expect(await client.next()).toBe(errorFrame(null, 'Cannot subscribe to #server-to-user-dave: only a connection signed in as that user may'));
    const userData = '{"id":"dave"}';
    client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1.1', userData)), user_data: userData } });
    expect(await client.next()).toBe(JSON.stringify({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) }));
    client.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-erin', auth: '' } });
    expect(await client.next()).toBe(errorFrame(null, 'Cannot subscribe to #server-to-user-erin: only a connection signed in as that user may'));
    client.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-dave', auth: '' } });
    expect(await client.next()).toBe(succeeded('#server-to-user-dave'));
  });
});
