/** Client events and sign-in with a raw client: exact frames, the rules and the rate limit. */
import { describe, expect, it } from 'vitest';
import { authString, channelStringToSign, userStringToSign } from '@pusher-auth-server/pusher-core';
import { type EmbeddedOverrides, socketIds, TEST_APP } from './helpers.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { useEmbedded } from './fixture.js';
import { errorFrame } from './frames.js';
import { RawClient } from '../../../conformance/raw-client.js';
import { captureLogger, logLine } from '../../../test/helpers/logger.js';

const fixture = useEmbedded();

async function join(client: RawClient, socketId: string, channel: string, channelData?: string): Promise<void> {
  const auth = channel.startsWith('private-') || channel.startsWith('presence-') ? authString(TEST_APP, channelStringToSign(socketId, channel, channelData)) : '';
  client.send({ event: 'pusher:subscribe', data: channelData === undefined ? { channel, auth } : { channel, auth, channel_data: channelData } });
  const reply = await client.next();
  if (!reply.startsWith('{"event":"pusher_internal:subscription_succeeded"')) throw new Error(`join failed: ${reply}`);
}

async function pair(options: EmbeddedOverrides = {}, channel = 'private-chat') {
  await fixture.start({ generateSocketId: socketIds('1.1', '2.2'), ...options });
  const sender = await fixture.connect();
  const receiver = await fixture.connect();
  const presence = channel.startsWith('presence-');
  await join(sender.client, sender.socketId, channel, presence ? '{"user_id":"alice"}' : undefined);
  await join(receiver.client, receiver.socketId, channel, presence ? '{"user_id":"bob"}' : undefined);
  if (presence) await sender.client.next();
  return { sender: sender.client, receiver: receiver.client };
}

describe('client events', () => {
  it('reach the other subscribers with data as a string, and are never echoed', async () => {
    const { sender, receiver } = await pair();
    sender.send({ event: 'client-typing', channel: 'private-chat', data: { text: 'hi' } });
    expect(await receiver.next()).toBe('{"event":"client-typing","channel":"private-chat","data":"{\\"text\\":\\"hi\\"}"}');
    expect(await sender.sync()).toEqual([]);
  });

  it('carry the sender user_id on presence channels', async () => {
    const { sender, receiver } = await pair({}, 'presence-chat');
    sender.send({ event: 'client-typing', channel: 'presence-chat', data: 'plain' });
    expect(await receiver.next()).toBe('{"event":"client-typing","channel":"presence-chat","data":"plain","user_id":"alice"}');
  });

  it.each([
    ['a public channel', 'news', 'Client event client-x refused: client events are only allowed on private and presence channels'],
    ['an encrypted channel', 'private-encrypted-x', 'Client event client-x refused: client events are only allowed on private and presence channels'],
    ['a channel the sender is not in', 'private-elsewhere', 'Client event client-x refused: not subscribed to private-elsewhere'],
  ])('are refused on %s', async (_label, channel, message) => {
    const { sender, receiver } = await pair();
    if (channel === 'news') await join(sender, '1.1', 'news');
    sender.send({ event: 'client-x', channel, data: {} });
    expect(await sender.next()).toBe(errorFrame(null, message));
    expect(await receiver.sync()).toEqual([]);
  });

  it('are refused when EMBEDDED_CLIENT_EVENTS is off', async () => {
    const { sender, receiver } = await pair({ clientEvents: false });
    sender.send({ event: 'client-x', channel: 'private-chat', data: {} });
    expect(await sender.next()).toBe(errorFrame(null, 'Client events are disabled on this server (EMBEDDED_CLIENT_EVENTS=false)'));
    expect(await receiver.sync()).toEqual([]);
  });

  it('are refused over 10,240 bytes of data and over 200 characters of name', async () => {
    const { sender } = await pair();
    sender.send({ event: 'client-big', channel: 'private-chat', data: 'x'.repeat(10_241) });
    expect(await sender.next()).toBe(errorFrame(null, 'Client event client-big refused: data is over 10240 bytes'));
    sender.send({ event: `client-${'n'.repeat(194)}`, channel: 'private-chat', data: {} });
    expect(await sender.next()).toBe(errorFrame(null, 'Client event name is over 200 characters'));
  });

  it('accept 10 per rolling second; the 11th gets 4301 without closing; refusals do not count', async () => {
    const clock = new ManualScheduler();
    const { sender, receiver } = await pair({ clock: clock.now });
    for (let i = 0; i < 10; i += 1) sender.send({ event: 'client-n', channel: 'private-chat', data: i });
    for (let i = 0; i < 10; i += 1) expect(await receiver.next()).toBe(`{"event":"client-n","channel":"private-chat","data":"${i}"}`);
    sender.send({ event: 'client-n', channel: 'private-chat', data: 10 });
    expect(await sender.next()).toBe(errorFrame(4301, 'Client event client-n rejected: more than 10 client events per second'));
    clock.advance(999);
    sender.send({ event: 'client-n', channel: 'private-chat', data: 11 });
    expect(await sender.next()).toBe(errorFrame(4301, 'Client event client-n rejected: more than 10 client events per second'));
    clock.advance(1);
    sender.send({ event: 'client-n', channel: 'private-chat', data: 12 });
    expect(await receiver.next()).toBe('{"event":"client-n","channel":"private-chat","data":"12"}');
    expect(await receiver.sync()).toEqual([]);
  });
});

describe('deeply nested client JSON', () => {
  /** A client event whose data is 5,000 nested arrays: JSON.parse reads it, JSON.stringify of the result overflows the stack. */
  const deepEvent = (event: string) => `{"event":"${event}","channel":"private-chat","data":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const tooDeep = (event: string) => errorFrame(4301, `Client event ${event} refused: data nests more than 64 levels deep`);

  it('refuses client event data nested too deep with 4301, logged at debug only, the connection kept', async () => {
    const { logger, lines } = captureLogger('debug');
    const { sender, receiver } = await pair({ logger });
    sender.send(deepEvent('client-deep'));
    expect(await sender.next()).toBe(tooDeep('client-deep'));
    expect(await logLine(lines, 'embedded server: message refused')).toMatchObject({ level: 20, kind: 'too_deep' });
    expect(lines.items.filter((line) => line.level >= 40)).toEqual([]);
    sender.send({ event: 'client-ok', channel: 'private-chat', data: 1 });
    expect(await receiver.next()).toBe('{"event":"client-ok","channel":"private-chat","data":"1"}');
  });

  it('counts such frames against the rate limit before looking at their data', async () => {
    const clock = new ManualScheduler();
    const { sender, receiver } = await pair({ clock: clock.now });
    for (let i = 0; i < 10; i += 1) sender.send(deepEvent('client-deep'));
    for (let i = 0; i < 10; i += 1) expect(await sender.next()).toBe(tooDeep('client-deep'));
    sender.send(deepEvent('client-deep'));
    expect(await sender.next()).toBe(errorFrame(4301, 'Client event client-deep rejected: more than 10 client events per second'));
    expect(await receiver.sync()).toEqual([]);
  });

  it('refuses a sign-in whose user_info nests too deep with 4009', async () => {
    await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const data = `{"id":"dave","user_info":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1.1', data)), user_data: data } });
    expect(await client.next()).toBe(errorFrame(4009, 'Sign-in failed: user_data.user_info nests more than 64 levels deep'));
    expect((await client.waitClosed()).code).toBe(4009);
  });
});

describe('pusher:signin', () => {
  const userData = '{"id":"dave","user_info":{"name":"Dave"}}';

  it('answers signin_success with the user_data string as sent', async () => {
    await fixture.start({ generateSocketId: socketIds('1234.1234') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1234.1234', userData)), user_data: userData } });
    expect(await client.next()).toBe(
      String.raw`{"event":"pusher:signin_success","data":"{\"user_data\":\"{\\\"id\\\":\\\"dave\\\",\\\"user_info\\\":{\\\"name\\\":\\\"Dave\\\"}}\"}"}`,
    );
  });

  it.each([
    ['a bad signature', 'deadbeef', userData, 'Sign-in failed: invalid signature: expected HMAC SHA256 hex digest of 1.1::user::{"id":"dave","user_info":{"name":"Dave"}}'],
    ['a numeric id', undefined, '{"id":5}', 'Sign-in failed: user_data.id must be a string of 1..128 characters'],
    ['an empty id', undefined, '{"id":""}', 'Sign-in failed: user_data.id must be a string of 1..128 characters'],
    ['user_data that is not JSON', undefined, 'nope', 'Sign-in failed: user_data is not JSON'],
  ])('refuses %s with pusher:error 4009 and close 4009', async (_label, auth, data, message) => {
    await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:signin', data: { auth: auth ?? authString(TEST_APP, userStringToSign('1.1', data)), user_data: data } });
    expect(await client.next()).toBe(errorFrame(4009, message));
    expect(await client.waitClosed()).toEqual({ code: 4009, reason: 'connection is unauthorized' });
  });

  it('refuses signing in as a second user on the same connection', async () => {
    await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    const signin = (data: string): void =>
      client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1.1', data)), user_data: data } });
    signin('{"id":"a"}');
    await client.next();
    signin('{"id":"b"}');
    expect(await client.next()).toBe(errorFrame(4009, 'Sign-in failed: the connection is already signed in as another user'));
    expect((await client.waitClosed()).code).toBe(4009);
  });
});
