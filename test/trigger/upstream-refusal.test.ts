/**
 * A Pusher-protocol server that refuses with HTTP 200 and `{"error","code"}` (soketi does, for a
 * wrong secret): a real local HTTP server stands in for it; the real `pusher` SDK talks to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';
import { captureLogger } from '../helpers/logger.js';
import { remoteEnv, startTestServer } from '../helpers/server.js';

const TOKEN = 'upstream-refusal-token';
const { logger, lines } = captureLogger();
let upstream: HttpRecorder;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startHttpRecorder();
  server = await startTestServer(
    {
      ...remoteEnv(upstream.port, { appId: 'app', key: 'key', secret: 'secret-never-shown' }),
      JWT_SECRET: 'upstream-refusal-jwt-secret-0123456789',
      TRIGGER_TOKEN: TOKEN,
    },
    { logger },
  );
});
afterAll(async () => {
  await server.close();
  await upstream.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const single = () => post('/trigger', { channel: 'news', event: 'e', data: 1 });
const batch = () => post('/trigger/batch', { batch: [{ channel: 'news', event: 'e', data: 1 }] });
const refusal = (status: number, reason: string) => ({
  error: { code: 'upstream_error', message: `The Pusher service refused the event (HTTP ${status}).`, details: { status, reason } },
});
const published = () => lines.items.filter((line) => line.msg === 'event published' || line.msg === 'batch published');

describe('an upstream answer whose body carries an error', () => {
  it.each([
    ['HTTP 200 with a code', 200, '{"error":"Invalid signature: you should have sent HmacSHA256Hex(secret-never-shown)","code":401}', 401, 'Invalid signature: you should have sent HmacSHA256Hex([redacted])'],
    ['HTTP 200 without a code', 200, '{"error":"The app is over quota"}', 200, 'The app is over quota'],
    ['HTTP 200 with an error object', 200, '{"error":{"reason":"disabled"},"code":403}', 403, '{"reason":"disabled"}'],
  ])('is a 502 upstream_error on /trigger and /trigger/batch: %s', async (_name, httpStatus, body, status, reason) => {
    upstream.respond = () => ({ status: httpStatus, body });
    const before = upstream.requests.items.length;
    expect(await single()).toEqual({ status: 502, body: refusal(status, reason) });
    expect(await batch()).toEqual({ status: 502, body: refusal(status, reason) });
    expect(upstream.requests.items.length).toBe(before + 2); // it was asked, and refused
    expect(published()).toEqual([]);
  });

  it('is still a success when the body carries no error', async () => {
    upstream.respond = () => ({ status: 200, body: '{}' });
    expect(await single()).toEqual({ status: 200, body: { ok: true } });
    expect(await batch()).toEqual({ status: 200, body: { ok: true } });
    expect(published()).toHaveLength(2);
  });
});
