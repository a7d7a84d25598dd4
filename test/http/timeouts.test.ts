/**
 * Slow clients are cut: headers dribbled a byte at a time, a chunked body that never ends. Answers
 * that take long after the request arrived, and WebSockets, are not. Limits are injected short.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, ServerTimeouts } from '../../src/server.js';
import { RawClient } from '../../conformance/raw-client.js';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';

const TIMEOUTS: ServerTimeouts = { headersMs: 300, requestMs: 600, keepAliveMs: 5000, checkIntervalMs: 50 };
let server: RunningServer;
let identity: HttpRecorder;

beforeAll(async () => {
  identity = await startHttpRecorder(() => 'hang');
  server = await startTestServer({ IDENTITY_URL: identity.url, TRIGGER_TOKEN: 'timeouts-trigger-token' }, { timeouts: TIMEOUTS });
});
afterAll(async () => {
  await server.close();
  await identity.close();
});

/** A raw connection that records what the server sent and when it hung up. */
async function rawConnection(): Promise<{ socket: Socket; received: () => string; ended: Promise<number> }> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const opened = performance.now();
  const ended = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)));
  return { socket, received: () => text, ended };
}

/** Writes `pieces` one every `everyMs` until the socket closes or they run out. */
function dribble(socket: Socket, pieces: readonly string[], everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || next >= pieces.length) return clearInterval(timer);
    socket.write(pieces[next] as string);
    next += 1;
  }, everyMs);
}

// Node's own server timers cannot be given a clock: here the passage of real time is what is tested.
const afterIdle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slow clients', () => {
  it('are cut with a 408 when the headers take longer than the headers timeout', async () => {
    const { socket, received, ended } = await rawConnection();
    dribble(socket, [...'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes\r\n\r\n'], 40); // ~2 s if never cut
    const ms = await withTimeout(ended, 5000, 'the server to close the connection');
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.headersMs - 20); // Node's own timer: never early
  });

  it('are cut when a chunked body never ends within the request timeout', async () => {
    const { socket, received, ended } = await rawConnection();
    socket.write('POST /trigger HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer timeouts-trigger-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    dribble(socket, Array.from({ length: 100 }, () => '1\r\n \r\n'), 30); // 3 s if never cut
    const ms = await withTimeout(ended, 5000, 'the server to close the connection');
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 20);
  });
});

describe('what the timeouts leave alone', () => {
  it('an idle kept-alive connection longer than the headers timeout serves its next request', async () => {
    const { socket, received } = await rawConnection();
    const request = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    socket.write(request);
    await afterIdle(3 * TIMEOUTS.headersMs);
    expect(socket.destroyed).toBe(false);
    socket.write(request);
    await withTimeout(new Promise((resolve) => socket.on('data', () => received().split('HTTP/1.1 200').length === 3 && resolve(undefined))), 2000, 'a second 200');
    socket.destroy();
  });

  it('an answer that takes longer than the request timeout, once the request has arrived', async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/pusher/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=slow' },
      body: '{"socket_id":"1.1","channel_name":"private-user-1"}',
    });
    // IDENTITY_URL never answers: its own 2 s timeout decides, long after the 600 ms request timeout.
    expect(res.status).toBe(502);
    expect(performance.now() - started).toBeGreaterThan(1900);
  });

  it('a WebSocket open longer than the request timeout', async () => {
    const client = await RawClient.connect(server.url, server.config.app.key);
    await afterIdle(2 * TIMEOUTS.requestMs);
    client.send({ event: 'pusher:ping', data: {} });
    expect(await client.nextJson()).toEqual({ event: 'pusher:pong', data: {} });
    await client.close();
  });
});
