/** The HTTP API with hand-signed requests and an injected clock: exact statuses and bodies. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { md5Hex, signedApiQuery } from '@pusher-auth-server/pusher-core';
import { authString, channelStringToSign, userStringToSign } from '@pusher-auth-server/pusher-core';
import { socketIds, startEmbedded, TEST_APP, type RunningEmbedded } from './helpers.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { RawClient } from '../../../conformance/raw-client.js';

const NOW_SECONDS = 1353088179;
let server: RunningEmbedded;
let clock: ManualScheduler;
const clients: RawClient[] = [];

beforeEach(async () => {
  clock = new ManualScheduler(NOW_SECONDS * 1000);
  server = await startEmbedded({ clock: clock.now, generateSocketId: socketIds('1.1', '2.2', '3.3') });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server.close();
});

interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

async function call(method: 'GET' | 'POST', path: string, options: { body?: string; params?: Record<string, string>; query?: string } = {}): Promise<Answer> {
  const fullPath = `/apps/${TEST_APP.appId}${path}`;
  const query = options.query ?? signedApiQuery(TEST_APP, { method, path: fullPath, timestampSeconds: NOW_SECONDS, body: options.body, params: options.params });
  const init: RequestInit = { method };
  if (options.body !== undefined) {
    init.body = options.body;
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`${server.httpBase}${fullPath}?${query}`, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function connected(): Promise<{ client: RawClient; socketId: string }> {
  const client = await RawClient.connect(server.wsBase, TEST_APP.key);
  clients.push(client);
  return { client, socketId: client.socketId };
}

async function subscriber(channel: string, channelData?: string): Promise<{ client: RawClient; socketId: string }> {
  const opened = await connected();
  const auth = channel === 'news' || channel.startsWith('#') ? '' : authString(TEST_APP, channelStringToSign(opened.socketId, channel, channelData));
  opened.client.send({ event: 'pusher:subscribe', data: channelData === undefined ? { channel, auth } : { channel, auth, channel_data: channelData } });
  await opened.client.next();
  return opened;
}

const event = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'e', data: '{"some":"data"}', ...fields });
/** JSON text of `depth` nested arrays: JSON.parse reads it, JSON.stringify of the result overflows the stack. */
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('POST /events', () => {
  it('accepts the docs worked example and answers {} with Content-Length, never chunked', async () => {
    const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
    const query =
      'auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c';
    const answer = await call('POST', '/events', { body, query });
    expect([answer.status, answer.body]).toEqual([200, '{}']);
    expect(answer.headers.get('content-length')).toBe('2');
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('transfer-encoding')).toBeNull();
  });

  it('delivers the data string verbatim to every subscriber but socket_id, encoded once', async () => {
    const a = await subscriber('news');
    const b = await subscriber('news');
    const answer = await call('POST', '/events', { body: event({ channels: ['news'], socket_id: a.socketId }) });
    expect(answer.status).toBe(200);
    expect(await b.client.next()).toBe('{"event":"e","channel":"news","data":"{\\"some\\":\\"data\\"}"}');
    expect(await a.client.sync()).toEqual([]);
  });

  it('reports info attributes per channel', async () => {
    await subscriber('presence-room', '{"user_id":"u1"}');
    await subscriber('news');
    const answer = await call('POST', '/events', { body: event({ channels: ['presence-room', 'news'], info: 'user_count,subscription_count' }) });
    expect(JSON.parse(answer.body)).toEqual({
      channels: { 'presence-room': { user_count: 1, subscription_count: 1 }, news: { subscription_count: 1 } },
    });
  });

  it('allows #server-to-user-<id> (sendToUser)', async () => {
    const opened = await connected();
    const userData = '{"id":"dave"}';
    opened.client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign(opened.socketId, userData)), user_data: userData } });
    await opened.client.next();
    opened.client.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-dave', auth: '' } });
    await opened.client.next();
    expect((await call('POST', '/events', { body: event({ channels: ['#server-to-user-dave'] }) })).status).toBe(200);
    expect(await opened.client.next()).toBe('{"event":"e","channel":"#server-to-user-dave","data":"{\\"some\\":\\"data\\"}"}');
  });

  it.each([
    ['101 channels', event({ channels: Array.from({ length: 101 }, (_, i) => `c${i}`) }), 'at most 100 channels per event'],
    ['a channel name over 164 characters', event({ channels: [`c${'x'.repeat(164)}`] }), `invalid channel name: "c${'x'.repeat(164)}"`],
    ['a channel name with #', event({ channels: ['#news'] }), 'invalid channel name: "#news"'],
    ['no channels', event({}), 'channels (or channel) is required'],
    ['no data', JSON.stringify({ name: 'e', channels: ['a'] }), 'data is required'],
    ['an event name over 200 characters', event({ name: 'n'.repeat(201), channels: ['a'] }), 'name must be 1..200 characters'],
    ['a reserved event name', event({ name: 'pusher:x', channels: ['a'] }), 'name must not start with pusher: or pusher_internal: (reserved for Pusher)'],
    ['a bad socket_id', event({ channels: ['a'], socket_id: '1.2\n' }), 'socket_id must look like 1234.5678'],
    ['an unknown info attribute', event({ channels: ['a'], info: 'cache' }), 'Unsupported info attribute: cache'],
    ['a body that is not JSON', '{nope', 'Request body is not valid JSON'],
    ['data of 5,000 nested arrays', `{"name":"e","channels":["a"],"data":${nested(5000)}}`, 'data nests more than 64 levels deep'],
    ['data 65 levels deep', `{"name":"e","channels":["a"],"data":${nested(65)}}`, 'data nests more than 64 levels deep'],
    ['a channel of 5,000 nested arrays', `{"name":"e","channels":[${nested(5000)}],"data":"x"}`, 'invalid channel name: a value nested over 64 levels deep'],
  ])('refuses %s with 400', async (_label, body, message) => {
    expect(await call('POST', '/events', { body }).then((a) => [a.status, a.body])).toEqual([400, message]);
  });

  it('accepts data 64 levels deep', async () => {
    expect((await call('POST', '/events', { body: `{"name":"e","channels":["a"],"data":${nested(64)}}` })).status).toBe(200);
  });

  it('accepts 10,240 bytes of data and refuses 10,241 with 413', async () => {
    expect((await call('POST', '/events', { body: event({ channels: ['a'], data: 'é'.repeat(5120) }) })).status).toBe(200);
    const answer = await call('POST', '/events', { body: event({ channels: ['a'], data: `${'é'.repeat(5120)}x` }) });
    expect([answer.status, answer.body]).toEqual([413, 'data is 10241 bytes; the limit is 10240']);
  });

  it('refuses a body over 256 KB with 413', async () => {
    const answer = await call('POST', '/events', { body: event({ channels: ['a'], padding: 'x'.repeat(300 * 1024) }) });
    expect([answer.status, answer.body]).toEqual([413, 'Request body is over 262144 bytes']);
  });
});

describe('request verification', () => {
  const body = event({ channels: ['news'] });

  it('refuses a stale request (a replay 601 s later) with 401', async () => {
    const query = signedApiQuery(TEST_APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: NOW_SECONDS, body });
    expect((await call('POST', '/events', { body, query })).status).toBe(200);
    clock.advance(601_000);
    expect(await call('POST', '/events', { body, query }).then((a) => [a.status, a.body])).toEqual([
      401,
      'Timestamp expired: Given timestamp (1353088179) not within 600s of server time (1353088780)',
    ]);
  });

  it('accepts a timestamp 599 s ahead of the server clock and refuses one 601 s ahead with 401', async () => {
    const signedAt = (seconds: number) => signedApiQuery(TEST_APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: seconds, body });
    expect((await call('POST', '/events', { body, query: signedAt(NOW_SECONDS + 599) })).status).toBe(200);
    expect(await call('POST', '/events', { body, query: signedAt(NOW_SECONDS + 601) }).then((a) => [a.status, a.body])).toEqual([
      401,
      'Timestamp expired: Given timestamp (1353088780) not within 600s of server time (1353088179)',
    ]);
  });

  it('refuses an MD5 mismatch and a missing body_md5 with 401', async () => {
    const signedForOther = signedApiQuery(TEST_APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: NOW_SECONDS, body: `${body} ` });
    const mismatch = await call('POST', '/events', { body, query: signedForOther });
    expect([mismatch.status, mismatch.body]).toEqual([401, `Invalid body_md5: the MD5 of the body received is ${md5Hex(body)}`]);
    const noMd5 = signedApiQuery(TEST_APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: NOW_SECONDS });
    expect(await call('POST', '/events', { body, query: noMd5 }).then((a) => [a.status, a.body])).toEqual([
      401,
      'Missing body_md5: a request with a body must sign its MD5',
    ]);
  });

  it('refuses a wrong key and a wrong secret with 401, never echoing the secret', async () => {
    const wrongKey = signedApiQuery({ key: 'nope', secret: TEST_APP.secret }, { method: 'POST', path: '/apps/3/events', timestampSeconds: NOW_SECONDS, body });
    expect(await call('POST', '/events', { body, query: wrongKey }).then((a) => [a.status, a.body])).toEqual([401, 'Unknown auth_key: nope']);
    const wrongSecret = signedApiQuery({ key: TEST_APP.key, secret: 'wrong' }, { method: 'POST', path: '/apps/3/events', timestampSeconds: NOW_SECONDS, body });
    const answer = await call('POST', '/events', { body, query: wrongSecret });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatch(/^Invalid signature: you should have sent HmacSHA256Hex\("POST\\n\/apps\/3\/events\\nauth_key=.*", your_secret_key\), but you sent "[0-9a-f]{64}"$/);
    expect(answer.body).not.toContain(TEST_APP.secret);
  });

  it('refuses a GET without any signature with 401', async () => {
    expect(await call('GET', '/channels', { query: '' }).then((a) => [a.status, a.body])).toEqual([401, 'Missing authentication parameter: auth_key']);
  });
});

describe('POST /batch_events', () => {
  it('delivers each event and reports info index-aligned', async () => {
    const a = await subscriber('news');
    const batch = [
      { channel: 'news', name: 'one', data: '1' },
      { channel: 'other', name: 'two', data: '2', info: 'subscription_count' },
    ];
    const answer = await call('POST', '/batch_events', { body: JSON.stringify({ batch }) });
    expect(JSON.parse(answer.body)).toEqual({ batch: [{}, { subscription_count: 0 }] });
    expect(await a.client.next()).toBe('{"event":"one","channel":"news","data":"1"}');
  });

  it('refuses 11 events, and publishes nothing when one event is invalid', async () => {
    const a = await subscriber('news');
    const eleven = Array.from({ length: 11 }, () => ({ channel: 'news', name: 'e', data: 'x' }));
    expect(await call('POST', '/batch_events', { body: JSON.stringify({ batch: eleven }) }).then((r) => [r.status, r.body])).toEqual([
      400,
      'batch is limited to 10 events',
    ]);
    const mixed = [{ channel: 'news', name: 'e', data: 'x' }, { channel: 'bad name', name: 'e', data: 'x' }];
    expect(await call('POST', '/batch_events', { body: JSON.stringify({ batch: mixed }) }).then((r) => [r.status, r.body])).toEqual([
      400,
      'batch[1]: invalid channel name: "bad name"',
    ]);
    const oversizedThenInvalid = [{ channel: 'news', name: 'e', data: 'x'.repeat(10_241) }, { channel: 'bad name', name: 'e', data: 'x' }];
    expect(await call('POST', '/batch_events', { body: JSON.stringify({ batch: oversizedThenInvalid }) }).then((r) => [r.status, r.body])).toEqual([
      400,
      'batch[1]: invalid channel name: "bad name"',
    ]);
    expect(await a.client.sync()).toEqual([]);
  });

  it('refuses an event whose data nests 5,000 arrays deep with 400 naming it', async () => {
    const body = `{"batch":[{"channel":"news","name":"e","data":"x"},{"channel":"news","name":"e","data":${nested(5000)}}]}`;
    expect(await call('POST', '/batch_events', { body }).then((r) => [r.status, r.body])).toEqual([400, 'batch[1]: data nests more than 64 levels deep']);
  });
});

describe('channel queries', () => {
  beforeEach(async () => {
    await subscriber('presence-room', '{"user_id":"u1"}');
    await subscriber('presence-room', '{"user_id":"u2"}');
    await subscriber('news');
  });

  it('GET /channels lists occupied channels, filtered, with user_count for presence-', async () => {
    expect(JSON.parse((await call('GET', '/channels')).body)).toEqual({ channels: { 'presence-room': {}, news: {} } });
    const filtered = await call('GET', '/channels', { params: { filter_by_prefix: 'presence-', info: 'user_count' } });
    expect(JSON.parse(filtered.body)).toEqual({ channels: { 'presence-room': { user_count: 2 } } });
    expect(await call('GET', '/channels', { params: { info: 'user_count' } }).then((a) => [a.status, a.body])).toEqual([
      400,
      'info=user_count is only allowed with filter_by_prefix=presence-',
    ]);
  });

  it('GET /channels/:name reports occupied and the counts asked for', async () => {
    const info = await call('GET', '/channels/presence-room', { params: { info: 'user_count,subscription_count' } });
    expect(JSON.parse(info.body)).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
    expect(JSON.parse((await call('GET', '/channels/empty')).body)).toEqual({ occupied: false });
    expect(await call('GET', '/channels/news', { params: { info: 'user_count' } }).then((a) => [a.status, a.body])).toEqual([
      400,
      'info=user_count is only allowed for presence channels',
    ]);
  });

  it('GET /channels/:name/users lists presence members and refuses other channels', async () => {
    expect(JSON.parse((await call('GET', '/channels/presence-room/users')).body)).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }] });
    expect(await call('GET', '/channels/news/users').then((a) => [a.status, a.body])).toEqual([400, 'Users can only be listed for presence channels']);
  });
});

describe('POST /users/:id/terminate_connections', () => {
  it('closes the signed-in sockets of the user with 4009, not presence-only members of the same id', async () => {
    const signedIn = await connected();
    const userData = '{"id":"u1"}';
    signedIn.client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign(signedIn.socketId, userData)), user_data: userData } });
    await signedIn.client.next();
    const presenceOnly = await subscriber('presence-room', '{"user_id":"u1"}');
    const answer = await call('POST', '/users/u1/terminate_connections', { body: '{}' });
    expect([answer.status, answer.body]).toEqual([200, '{}']);
    expect(await signedIn.client.next()).toBe('{"event":"pusher:error","data":"{\\"code\\":4009,\\"message\\":\\"You got disconnected by the app.\\"}"}');
    expect((await signedIn.client.waitClosed()).code).toBe(4009);
    expect(await presenceOnly.client.sync()).toEqual([]);
  });
});

describe('routing', () => {
  it('answers paths that are not its own, unknown routes and unknown apps with 404', async () => {
    expect(await fetch(`${server.httpBase}/pusher/auth`).then(async (r) => [r.status, await r.text()])).toEqual([
      404,
      'Not found: this server answers /apps/<appId>/... and WebSockets at /app/<key>',
    ]);
    expect(await call('GET', '/nowhere').then((a) => [a.status, a.body])).toEqual([404, 'Not found']);
    expect(await fetch(`${server.httpBase}/apps/999/channels`).then(async (r) => [r.status, await r.text()])).toEqual([404, 'Unknown app id: 999']);
    expect(await call('POST', '/channels', { body: '{}' }).then((a) => [a.status, a.body])).toEqual([405, 'Method POST not allowed here']);
  });
});
