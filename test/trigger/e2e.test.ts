/** End to end: POST /trigger -> pusher SDK -> our embedded HTTP API -> a real pusher-js client. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { connectClient, type TestClient } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';

let server: RunningServer;
const clients: TestClient[] = [];

async function client(userId: string): Promise<TestClient> {
  const connected = await connectClient(server.url, { userId });
  clients.push(connected);
  return connected;
}

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.config.triggerTokens[0]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await server.close();
});

describe('POST /trigger end to end (embedded mode)', () => {
  it('delivers to a pusher-js client authorized as user 1 on private-user-1, data intact', async () => {
    const alice = await client('1');
    await alice.subscribe('private-user-1');
    const inbox = alice.listen('private-user-1', 'private-event');
    const answer = await post('/trigger', { channel: 'private-user-1', event: 'private-event', data: { message: 'hi' } });
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    expect(await inbox.at(0)).toEqual({ message: 'hi' });
  });

  it('passes string data through as the very string, unicode included', async () => {
    const alice = await client('1');
    await alice.subscribe('private-user-1');
    const inbox = alice.listen('private-user-1', 'note');
    await post('/trigger', { channel: 'private-user-1', event: 'note', data: 'héllo ✓ "quoted"' });
    expect(await inbox.at(0)).toBe('héllo ✓ "quoted"');
  });

  it('leaves out the socket given as socket_id, and only that one', async () => {
    const [sender, other] = [await client('1'), await client('1')];
    await Promise.all([sender.subscribe('private-user-1'), other.subscribe('private-user-1')]);
    const [senderInbox, otherInbox] = [sender.listen('private-user-1', 'ev'), other.listen('private-user-1', 'ev')];
    const excluded = await post('/trigger', { channel: 'private-user-1', event: 'ev', data: { n: 1 }, socket_id: sender.socketId });
    expect(excluded.status).toBe(200);
    expect(await otherInbox.at(0)).toEqual({ n: 1 });
    await post('/trigger', { channel: 'private-user-1', event: 'ev', data: { n: 2 } });
    expect(await senderInbox.at(0)).toEqual({ n: 2 }); // events arrive in order: n=1 never came
    expect(await otherInbox.at(1)).toEqual({ n: 2 });
    expect(senderInbox.items).toEqual([{ n: 2 }]);
  });

  it('publishes one event to several channels', async () => {
    const alice = await client('1');
    await Promise.all([alice.subscribe('private-user-1'), alice.subscribe('news')]);
    const [mine, news] = [alice.listen('private-user-1', 'multi'), alice.listen('news', 'multi')];
    const answer = await post('/trigger', { channels: ['private-user-1', 'news'], event: 'multi', data: [1, 2] });
    expect(answer.status).toBe(200);
    expect(await mine.at(0)).toEqual([1, 2]);
    expect(await news.at(0)).toEqual([1, 2]);
  });

  it('sends a batch to two channels', async () => {
    const alice = await client('1');
    await Promise.all([alice.subscribe('private-user-1'), alice.subscribe('presence-room')]);
    const [mine, room] = [alice.listen('private-user-1', 'first'), alice.listen('presence-room', 'second')];
    const answer = await post('/trigger/batch', {
      batch: [
        { channel: 'private-user-1', event: 'first', data: { a: 1 } },
        { channel: 'presence-room', event: 'second', data: { b: 2 } },
      ],
    });
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    expect(await mine.at(0)).toEqual({ a: 1 });
    expect(await room.at(0)).toEqual({ b: 2 });
  });

  it('encrypts for private-encrypted channels, and pusher-js decrypts', async () => {
    const alice = await client('1');
    await alice.subscribe('private-encrypted-user-1');
    const inbox = alice.listen('private-encrypted-user-1', 'secret');
    const answer = await post('/trigger', { channel: 'private-encrypted-user-1', event: 'secret', data: { card: '4242' } });
    expect(answer.status).toBe(200);
    expect(await inbox.at(0)).toEqual({ card: '4242' });
  });

  it('encrypts batch items on private-encrypted channels too', async () => {
    const alice = await client('1');
    await alice.subscribe('private-encrypted-user-1');
    const inbox = alice.listen('private-encrypted-user-1', 'batched');
    const answer = await post('/trigger/batch', { batch: [{ channel: 'private-encrypted-user-1', event: 'batched', data: 'sealed' }] });
    expect(answer.status).toBe(200);
    expect(await inbox.at(0)).toBe('sealed');
  });
});
