/**
 * The demo's take-back: DELETE /demo/rooms/:roomId/members/:userId changes the app's data and closes
 * that user's connections; on reconnecting, private-room-1 is refused while every other channel
 * comes back. Real server, real signed-in pusher-js clients.
 */
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rooms } from '../../src/demo/rooms.js';
import type { RunningServer } from '../../src/server.js';
import { demoLogin, type TestClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { closeCode, signedInClient } from '../helpers/signed-in.js';
import { withTimeout } from '../helpers/wait.js';

let server: RunningServer;
let token2: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  token2 = await demoLogin(server.url, '2');
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
  rooms.add('1', '1'); // the seeded data again, for the next test
});
afterAll(() => server.close());

const member = (method: 'delete' | 'put', path: string, token: string | null = token2) => {
  const req = request(server.url)[method](`/demo/rooms/${path}`);
  return token === null ? req : req.set('authorization', `Bearer ${token}`);
};

function channelEvent(client: TestClient, channel: string, event: string): Promise<unknown> {
  const target = client.pusher.channel(channel);
  return withTimeout(new Promise((resolve) => target.bind(event, resolve)), 5000, `${event} on ${channel}`);
}

describe('removing a room member, in the demo', () => {
  it('closes their connections with 4009; back, they are refused private-room-1 and get the rest', async () => {
    const [ada, grace] = await Promise.all([signedInClient(server.url, '1'), signedInClient(server.url, '2')]);
    clients.push(ada, grace);
    await Promise.all([ada.subscribe('private-room-1'), ada.subscribe('private-user-1'), grace.subscribe('private-room-1')]);
    const closed = closeCode(ada);

    const removed = await member('delete', '1/members/1');
    expect([removed.status, removed.body]).toEqual([200, { ok: true }]);
    expect(await closed).toBe(4009);
    expect(rooms.isMember('1', '1')).toBe(false);

    const refused = channelEvent(ada, 'private-room-1', 'pusher:subscription_error');
    const resubscribed = channelEvent(ada, 'private-user-1', 'pusher:subscription_succeeded');
    ada.pusher.connect(); // pusher-js does not reconnect after a 40xx close by itself
    expect(await refused).toMatchObject({ type: 'AuthError', status: 403 });
    await resubscribed;
    expect(grace.pusher.channel('private-room-1').subscribed).toBe(true);

    const why = await request(server.url)
      .post('/pusher/auth')
      .set('authorization', `Bearer ${await demoLogin(server.url, '1')}`)
      .send({ socket_id: ada.pusher.connection.socket_id, channel_name: 'private-room-1' });
    expect([why.status, why.body]).toEqual([
      403,
      {
        error: {
          code: 'forbidden',
          message: 'You may not join private-room-1.',
          details: { rule: 'private-room-{roomId}', reason: 'not a member of this room' },
        },
      },
    ]);
  });

  it('adds them back with PUT, and they may join again', async () => {
    rooms.remove('1', '1');
    const added = await member('put', '1/members/1');
    expect([added.status, added.body]).toEqual([200, { ok: true }]);
    const ada = await signedInClient(server.url, '1');
    clients.push(ada);
    await ada.subscribe('private-room-1');
  });

  it.each([
    ['no token', null, { message: 'Nobody is identified: send a valid bearer token or session.' }],
    ['a wrong token', 'not-a-jwt', { message: 'The bearer token is invalid or has expired.', details: { reason: 'malformed' } }],
  ])('answers 401 with %s', async (_label, token, error) => {
    for (const method of ['delete', 'put'] as const) {
      const res = await member(method, '1/members/1', token);
      expect([res.status, res.body]).toEqual([401, { error: { code: 'unauthenticated', ...error } }]);
    }
    expect(rooms.isMember('1', '1')).toBe(true);
  });

  const roomRule = 'must make private-room-<roomId> a valid channel name: the name must be 1..164 characters of A-Z a-z 0-9 _ - = @ , . ;';
  const userRule = 'must be 1..128 characters of A-Z a-z 0-9 _ - = @ , . ;';
  it.each([
    ['a room id with a space', 'a%20b/members/1', [{ field: 'roomId', problem: roomRule }]],
    ['a 152-character room id', `${'r'.repeat(152)}/members/1`, [{ field: 'roomId', problem: roomRule }]],
    ['a 129-character user id', `1/members/${'u'.repeat(129)}`, [{ field: 'userId', problem: userRule }]],
    ['both', 'a%2Fb/members/%23', [{ field: 'roomId', problem: roomRule }, { field: 'userId', problem: userRule }]],
  ])('answers 400 for %s', async (_label, path, details) => {
    const fields = [...new Set(details.map((d) => d.field))].join(', ');
    for (const method of ['delete', 'put'] as const) {
      const res = await member(method, path);
      expect([res.status, res.body]).toEqual([400, { error: { code: 'invalid_request', message: `Invalid request: check ${fields}.`, details } }]);
    }
  });

  it('is not there when DEMO_LOGIN is off', async () => {
    const plain = await startTestServer({ DEMO_LOGIN: 'false' });
    try {
      const res = await request(plain.url).delete('/demo/rooms/1/members/1');
      expect([res.status, res.body]).toEqual([
        404,
        { error: { code: 'not_found', message: 'No route for DELETE /demo/rooms/1/members/1.' } },
      ]);
    } finally {
      await plain.close();
    }
  });
});
