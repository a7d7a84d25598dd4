/**
 * The standalone server in embedded mode: EMBEDDED_MAX_BUFFERED_BYTES reaches the Pusher server, a
 * client that stops reading is closed with 4100, and /metrics counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { eventPublisher, READER_APP, Reader } from '../helpers/readers.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';

const METRICS_TOKEN = 'metrics-token-for-tests';
let server: RunningServer;

beforeAll(async () => {
  const app = { PUSHER_APP_ID: READER_APP.appId, PUSHER_KEY: READER_APP.key, PUSHER_SECRET: READER_APP.secret };
  server = await startTestServer({ ...app, METRICS_TOKEN, EMBEDDED_MAX_BUFFERED_BYTES: '65536' });
});
afterAll(() => server.close());

async function slowConsumersClosed(): Promise<string | undefined> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return /^pusher_embedded_slow_consumers_closed_total (\d+)$/m.exec(await res.text())?.[1];
}

describe('EMBEDDED_MAX_BUFFERED_BYTES', () => {
  it('closes a client that stops reading with 4100 and counts it in /metrics', async () => {
    expect(await slowConsumersClosed()).toBe('0');
    const healthy = await Reader.join(server, 'news', 'healthy');
    const paused = await Reader.join(server, 'news', 'paused');
    const publish = eventPublisher(server.url);
    let sent = 0;
    while (server.embedded?.stats().connections === 2 && sent < 2000) {
      await publish('news', sent, 10);
      sent += 10;
      await healthy.waitForEvents(sent);
    }
    paused.resume(); // within the grace: it reads up to the close frame
    expect(server.embedded?.stats().connections).toBe(1);
    expect(await slowConsumersClosed()).toBe('1');
    expect(await withTimeout(paused.closed, 5000, 'the close')).toBe(4100);
    expect([healthy.events, healthy.outOfOrder]).toEqual([sent, 0]);
    healthy.terminate();
  }, 60_000);
});
