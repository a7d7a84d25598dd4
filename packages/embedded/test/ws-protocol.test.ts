/** The WebSocket edge with a raw `ws` client: handshake, refusals, bad input, liveness, shutdown. */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createPusherServer } from '../src/index.js';
import { socketIds, TEST_APP, type RunningEmbedded } from './helpers.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { useEmbedded } from './fixture.js';
import { errorFrame } from './frames.js';
import { RawClient } from '../../../conformance/raw-client.js';
import { Inbox } from '../../../test/helpers/wait.js';

const fixture = useEmbedded();
let server: RunningEmbedded;

describe('handshake', () => {
  it('sends connection_established with the socket id and activity_timeout 120, data double-encoded', async () => {
    server = await fixture.start({ generateSocketId: socketIds('1234.1234') });
    const client = await fixture.open(`/app/${server.app.key}?protocol=7&client=js&version=8.6.0&flash=false`);
    expect(await client.next()).toBe('{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1234.1234\\",\\"activity_timeout\\":120}"}');
    expect(server.embedded.stats()).toEqual({ connections: 1, channels: 0, presenceMembers: 0 });
  });

  it('generates distinct crypto-random socket ids by default', async () => {
    server = await fixture.start();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) ids.add((await fixture.connect()).socketId);
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^\d+\.\d+$/);
  });

  it.each([
    ['/app/wrong-key?protocol=7', 4001, 'App key wrong-key does not exist on this server'],
    ['/app/KEY', 4008, 'No protocol version supplied: connect with ?protocol=7'],
    ['/app/KEY?protocol=6', 4007, 'Unsupported protocol version 6: this server speaks protocol 7'],
    ['/app/KEY/extra?protocol=7', 4005, 'Path not found: connect to /app/<key>?protocol=7'],
    ['/app?protocol=7', 4005, 'Path not found: connect to /app/<key>?protocol=7'],
  ])('refuses %s with pusher:error and close %i', async (path, code, message) => {
    server = await fixture.start();
    const client = await fixture.open(path.replace('KEY', server.app.key));
    expect(await client.next()).toBe(errorFrame(code, message));
    expect((await client.waitClosed()).code).toBe(code);
    expect(server.embedded.stats().connections).toBe(0);
  });

  it('answers an upgrade outside /app with HTTP 404 and destroys the socket', async () => {
    server = await fixture.start();
    const { port } = server;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/socket', headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(answer).toEqual({ status: 404, body: 'Not found: WebSocket connections go to /app/<key>' });
  });

  it('closes connections over maxConnections with 4004 (over quota)', async () => {
    server = await fixture.start({ maxConnections: 1 });
    await fixture.connect();
    const second = await fixture.open(`/app/${server.app.key}?protocol=7`);
    expect(await second.next()).toBe(errorFrame(4004, 'Over quota: at most 1 connections in total'));
    expect((await second.waitClosed()).code).toBe(4004);
  });

  it('closes connections over maxConnectionsPerIp with 4004, and counts one again once it closed', async () => {
    const closed = new Inbox<string>();
    server = await fixture.start({ maxConnections: 0, maxConnectionsPerIp: 2, hooks: { onConnectionClosed: (id) => closed.push(id) } });
    const { client: first } = await fixture.connect();
    await fixture.connect();
    const third = await fixture.open(`/app/${server.app.key}?protocol=7`);
    expect(await third.next()).toBe(errorFrame(4004, 'Over quota: at most 2 connections from one address'));
    expect((await third.waitClosed()).code).toBe(4004);
    first.terminate();
    await closed.at(0);
    expect(JSON.parse(await (await fixture.open(`/app/${server.app.key}?protocol=7`)).next())).toMatchObject({ event: 'pusher:connection_established' });
  });

  it('counts connections per address as clientIp says, each address on its own', async () => {
    const clientIp = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('ip') ?? '';
    server = await fixture.start({ maxConnectionsPerIp: 1, clientIp });
    const established = (frame: string) => expect(JSON.parse(frame)).toMatchObject({ event: 'pusher:connection_established' });
    established(await (await fixture.open(`/app/${server.app.key}?protocol=7&ip=10.0.0.1`)).next());
    established(await (await fixture.open(`/app/${server.app.key}?protocol=7&ip=10.0.0.2`)).next());
    const again = await fixture.open(`/app/${server.app.key}?protocol=7&ip=10.0.0.1`);
    expect(await again.next()).toBe(errorFrame(4004, 'Over quota: at most 1 connections from one address'));
  });
});

describe('bad input never crashes and leaves the connection open', () => {
  it.each([
    ['invalid JSON', '{nope', errorFrame(null, 'Invalid JSON: every message must be a JSON object with an "event" field')],
    ['an unknown event', '{"event":"pusher:hello","data":{}}', errorFrame(null, 'Unsupported event received: pusher:hello')],
    ['a JSON array', '[]', errorFrame(null, 'Invalid message: every message must be a JSON object with an "event" field')],
    ['subscribe without data', '{"event":"pusher:subscribe"}', errorFrame(null, 'Invalid data for pusher:subscribe: expected an object')],
  ])('%s gets pusher:error code null', async (_name, frame, expected) => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.send(frame);
    expect(await client.next()).toBe(expected);
    expect(await client.sync()).toEqual([]);
  });

  it('a binary frame gets pusher:error', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.socket.send(Buffer.from('{"event":"pusher:ping","data":{}}'), { binary: true });
    expect(await client.next()).toBe(errorFrame(null, 'Binary frames are not supported: send JSON text frames'));
    expect(await client.sync()).toEqual([]);
  });

  it('a frame over maxPayload closes that connection with 1009 and nothing else', async () => {
    server = await fixture.start();
    const { client: big } = await fixture.connect();
    const { client: bystander } = await fixture.connect();
    big.send(JSON.stringify({ event: 'client-x', channel: 'private-a', data: 'x'.repeat(40 * 1024) }));
    expect((await big.waitClosed()).code).toBe(1009);
    expect(await bystander.sync()).toEqual([]);
    expect(server.embedded.stats().connections).toBe(1);
  });
});

describe('liveness', () => {
  it('answers pusher:ping with pusher:pong', async () => {
    server = await fixture.start();
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:ping', data: {} });
    expect(await client.next()).toBe('{"event":"pusher:pong","data":"{}"}');
  });

  it('pings an idle client and closes it with 4201 when no pong comes', async () => {
    const clock = new ManualScheduler();
    server = await fixture.start({ clock: clock.now, heartbeatIntervalMs: 5 });
    const { client } = await fixture.connect();
    clock.advance(120_000);
    expect(await client.next()).toBe('{"event":"pusher:ping","data":"{}"}');
    clock.advance(30_000);
    expect(await client.next()).toBe(errorFrame(4201, 'Pong reply not received'));
    expect((await client.waitClosed()).code).toBe(4201);
  });

  it('a pong keeps the client: the next idle period brings a ping again, not a close', async () => {
    const clock = new ManualScheduler();
    server = await fixture.start({ clock: clock.now, heartbeatIntervalMs: 5 });
    const { client } = await fixture.connect();
    clock.advance(120_000);
    expect(await client.next()).toBe('{"event":"pusher:ping","data":"{}"}');
    client.send({ event: 'pusher:pong', data: {} });
    expect(await client.sync()).toEqual([]);
    clock.advance(31_000);
    expect(await client.sync()).toEqual([]);
    clock.advance(120_000);
    expect(await client.next()).toBe('{"event":"pusher:ping","data":"{}"}');
  });

  it('honours activityTimeoutSeconds in the handshake and for idleness', async () => {
    const clock = new ManualScheduler();
    server = await fixture.start({ clock: clock.now, heartbeatIntervalMs: 5, activityTimeoutSeconds: 30, generateSocketId: socketIds('5.5') });
    const client = await fixture.open(`/app/${server.app.key}?protocol=7`);
    expect(await client.next()).toBe('{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"5.5\\",\\"activity_timeout\\":30}"}');
    clock.advance(30_000);
    expect(await client.next()).toBe('{"event":"pusher:ping","data":"{}"}');
  });
});

describe('shutdown', () => {
  it('closes every socket with 4200 and refuses new upgrades', async () => {
    server = await fixture.start();
    const [a, b] = [await fixture.connect(), await fixture.connect()];
    a.client.send({ event: 'pusher:subscribe', data: { channel: 'news' } });
    await a.client.next();
    const closing = server.embedded.close();
    expect((await a.client.waitClosed()).code).toBe(4200);
    expect((await b.client.waitClosed()).code).toBe(4200);
    await closing;
    expect(server.embedded.stats()).toEqual({ connections: 0, channels: 0, presenceMembers: 0 });
    await expect(RawClient.open(`${server.wsBase}/app/${server.app.key}?protocol=7`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('attached to a server that stays up, refuses upgrades once closing with 503', async () => {
    const http = createServer((_req, res) => res.end('app'));
    const pusher = createPusherServer({ ...TEST_APP });
    pusher.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      await pusher.close();
      await expect(RawClient.open(`${base}/app/${TEST_APP.key}?protocol=7`)).rejects.toThrow(/503/);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
