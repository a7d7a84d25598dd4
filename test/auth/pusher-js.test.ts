/** pusher-js (Node build) against the real server: every subscription authorized by our /pusher/auth. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { connectClient, type TestClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { Inbox, withTimeout } from '../helpers/wait.js';

let server: RunningServer;
const clients: TestClient[] = [];
const connect = async (userId: string) => {
  const client = await connectClient(server.url, { userId });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(() => server.close());

interface Member {
  id: string;
  info: unknown;
}

describe('pusher-js through /pusher/auth', () => {
  it('user 1 joins private-user-1 and is refused private-user-2 with a 403', async () => {
    const ada = await connect('1');
    await expect(ada.subscribe('private-user-1')).resolves.toBeDefined();
    const refusal = await ada.subscribe('private-user-2').catch((err: Error) => err.message);
    expect(refusal).toMatch(/subscription to private-user-2 failed: .*"type":"AuthError".*"status":403/);
  });

  it('presence: members are the verified users; two tabs of one user count once', async () => {
    const ada = await connect('1');
    const lobby = await ada.subscribe('presence-lobby');
    const added = new Inbox<Member>();
    const removed = new Inbox<Member>();
    lobby.bind('pusher:member_added', (m: Member) => added.push(m));
    lobby.bind('pusher:member_removed', (m: Member) => removed.push(m));

    const bobTab1 = await connect('2');
    const bobLobby = await bobTab1.subscribe('presence-lobby');
    expect(await added.at(0)).toEqual({ id: '2', info: undefined });
    const members = (bobLobby as unknown as { members: { count: number; me: Member } }).members;
    expect(members.count).toBe(2);
    expect(members.me).toEqual({ id: '2', info: null });

    const bobTab2 = await connect('2');
    await bobTab2.subscribe('presence-lobby');
    bobTab1.disconnect();
    // Bob still has a tab open: no member_removed yet. Carol joining is the barrier.
    const carol = await connect('3');
    await carol.subscribe('presence-lobby');
    expect((await added.at(1)).id).toBe('3');
    expect(removed.items).toEqual([]);

    bobTab2.disconnect();
    expect(await removed.at(0)).toMatchObject({ id: '2' });
    expect(added.items).toHaveLength(2);
  });

  it('a name from the verified token becomes user_info', async () => {
    const res = await fetch(`${server.url}/demo/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: '9', name: 'Grace' }),
    });
    const { token } = (await res.json()) as { token: string };
    const { key, ...options } = (await (await fetch(`${server.url}/pusher/config`)).json()) as { key: string };
    const { default: Pusher } = (await import('pusher-js')) as unknown as { default: new (key: string, o: object) => TestClient['pusher'] };
    const pusher = new Pusher(key, {
      ...options,
      channelAuthorization: { endpoint: `${server.url}/pusher/auth`, transport: 'ajax', headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      const channel = pusher.subscribe('presence-room');
      const me = await withTimeout(
        new Promise<Member>((resolve) => channel.bind('pusher:subscription_succeeded', (m: { me: Member }) => resolve(m.me))),
        5000,
        'presence subscription',
      );
      expect(me).toEqual({ id: '9', info: { name: 'Grace' } });
    } finally {
      pusher.disconnect();
    }
  });

  it('private-encrypted-user-1: an SDK-encrypted trigger arrives decrypted', async () => {
    const ada = await connect('1');
    await ada.subscribe('private-encrypted-user-1');
    const inbox = ada.listen('private-encrypted-user-1', 'secret');
    const res = await fetch(`${server.url}/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.config.triggerTokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'private-encrypted-user-1', event: 'secret', data: { pin: 1234 } }),
    });
    expect(res.status).toBe(200);
    expect(await inbox.at(0)).toEqual({ pin: 1234 });
  });
});
