/**
 * A console reader that stops reading is dropped, and the auth path never waits for it: real
 * /pusher/auth batches keep answering 200 while a raw socket that never reads holds a stream open.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STREAM_LIMITS } from '../../src/console/event-stream.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';
import { openDecisions } from '../helpers/sse.js';
import { authorize, authorizeBatch, demoLogin } from '../helpers/console.js';

// More than the kernel can buffer for a socket that never reads (tcp_wmem max 4 MB plus the
// receiver's unread window), plus the stream's own bound: the drop must have happened by then.
const BYTES_TO_PUBLISH = 7 * 1024 * 1024;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(() => server.close());

/** A reader that asks for the stream, then never reads a byte of it until told. */
function stalledReader(token: string): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.pause();
      socket.write(`GET /console/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      resolve(socket);
    });
  });
}

/** Resumes reading; resolves with everything received once the server has closed the connection. */
function readToEnd(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  const ended = new Promise<string>((resolve) => socket.once('end', () => resolve(text)));
  socket.resume();
  return withTimeout(ended, 10_000, 'the server to close the stalled stream');
}

it('drops a stalled reader while auth keeps answering and a reading reader gets every decision', async () => {
  const token = server.config.consoleToken ?? '';
  const userId = 'u'.repeat(128); // long ids and names: fewer requests fill the buffers
  const jwt = await demoLogin(server.url, userId);
  const channels = Array.from({ length: 100 }, (_, i) => `private-${String(i).padStart(3, '0')}-${'x'.repeat(90)}`);
  const eventBytes = 430; // about what one of these decisions takes on the stream
  const rounds = Math.ceil(BYTES_TO_PUBLISH / (eventBytes * channels.length));

  const stalled = await stalledReader(token);
  const reading = await openDecisions(server.url, token);
  const replayed = await reading.replayed();
  try {
    for (let round = 0; round < rounds; round += 1) {
      expect(await authorizeBatch(server.url, jwt, channels)).toBe(200);
    }
    expect((await authorize(server.url, jwt, `private-user-${userId}`)).status).toBe(200);
    const published = rounds * channels.length + 1;

    const received = await readToEnd(stalled);
    const stalledGot = received.split('\nevent: decision\n').length - 1;
    expect(received.startsWith('HTTP/1.1 200 OK')).toBe(true);
    expect(stalledGot).toBeLessThan(published - STREAM_LIMITS.maxPending);

    const all = await reading.events.waitFor(replayed + published, 10_000, 'every decision on the reading stream');
    expect(all.at(-1)?.data).toMatchObject({ userId, channel: `private-user-${userId}`, verdict: 'allow' });
  } finally {
    reading.close();
    stalled.destroy();
  }
});
