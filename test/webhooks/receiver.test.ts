/** POST /pusher/webhooks: verify before anything, then log, answer, and hand events to the handlers. */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import type { WebhookEvent, WebhookHandlers } from '../../src/webhook-receiver/events.js';
import { webhookSignature } from '../../src/webhook-receiver/verify.js';
import { captureLogger, logLine } from '../helpers/logger.js';
import { startTestServer } from '../helpers/server.js';
import { Inbox } from '../helpers/wait.js';

// docs/protocol.md#webhooks, from the pusher SDK's own tests.
const VECTOR = {
  key: '123456789',
  secret: 'tofu',
  body: '{"time_ms":1403175510755,"events":[{"channel":"test_channel","name":"channel_vacated"}]}',
  signature: 'c17257e92037cd7de407ebc1ed174ceb7b2e518db127f44411b9ffc4f5b28cc5',
};
const sign = (body: string) => createHmac('sha256', VECTOR.secret).update(body).digest('hex');

let server: RunningServer;
const handled = new Inbox<{ event: WebhookEvent; timeMs: number | undefined }>();
const { logger, lines } = captureLogger();
let releaseSlowHandler: () => void = () => undefined;

const handlers: WebhookHandlers = {
  channel_vacated: (event, { timeMs }) => handled.push({ event, timeMs }),
  channel_occupied: (event, { timeMs }) => handled.push({ event, timeMs }),
  member_added: async (event, { timeMs }) => {
    if (event.user_id === 'slow') await new Promise<void>((resolve) => (releaseSlowHandler = resolve));
    handled.push({ event, timeMs });
  },
  member_removed: (event) => {
    throw new Error(`handler failed for ${event.user_id}`);
  },
  client_event: (event, { timeMs }) => handled.push({ event, timeMs }),
};

function post(body: string, headers: Record<string, string | undefined> = {}) {
  const req = request(server.url).post('/pusher/webhooks');
  const all = { 'content-type': 'application/json', 'x-pusher-key': VECTOR.key, 'x-pusher-signature': sign(body), ...headers };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) req.set(name, value);
  return req.send(body);
}
const unauthenticated = (message: string) => ({ error: { code: 'unauthenticated', message } });
const BAD_SIGNATURE = unauthenticated('X-Pusher-Signature does not match the body.');
const BAD_KEY = unauthenticated("X-Pusher-Key is missing or is not this app's key.");

beforeAll(async () => {
  server = await startTestServer({ PUSHER_KEY: VECTOR.key, PUSHER_SECRET: VECTOR.secret }, { logger, webhooks: { handlers } });
});
afterAll(() => server.close());

describe('webhook verification (401 before any processing)', () => {
  it('computes the signature vector of docs/protocol.md#webhooks', () => {
    expect(webhookSignature(VECTOR.secret, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('accepts the vector as Pusher sends it, and hands the event over with time_ms', async () => {
    const res = await post(VECTOR.body, { 'x-pusher-signature': VECTOR.signature });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await handled.at(0)).toEqual({ event: { name: 'channel_vacated', channel: 'test_channel' }, timeMs: 1403175510755 });
  });

  it.each<[string, string, Record<string, string | undefined>, unknown]>([
    ['a tampered body', VECTOR.body.replace('test_channel', 'test_channe1'), { 'x-pusher-signature': VECTOR.signature }, BAD_SIGNATURE],
    ['a wrong key', VECTOR.body, { 'x-pusher-key': '987654321' }, BAD_KEY],
    ['no key', VECTOR.body, { 'x-pusher-key': undefined }, BAD_KEY],
    ['no signature', VECTOR.body, { 'x-pusher-signature': undefined }, BAD_SIGNATURE],
    ['a signature made with another secret', VECTOR.body, { 'x-pusher-signature': createHmac('sha256', 'tofU').update(VECTOR.body).digest('hex') }, BAD_SIGNATURE],
    ['a truncated signature', VECTOR.body, { 'x-pusher-signature': VECTOR.signature.slice(0, 63) }, BAD_SIGNATURE],
    ['a bad signature on a body that is not even JSON', 'not json', { 'x-pusher-signature': 'x' }, BAD_SIGNATURE],
    ['a bad signature with the wrong content type', VECTOR.body, { 'content-type': 'text/plain', 'x-pusher-signature': 'x' }, BAD_SIGNATURE],
  ])('refuses %s with 401 and hands nothing over', async (_label, body, headers, expected) => {
    const before = handled.items.length;
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(expected);
    // A valid webhook sent afterwards is the next one handled: the refused one never was.
    await post('{"time_ms":1,"events":[{"name":"channel_occupied","channel":"barrier"}]}');
    expect((await handled.at(before)).event).toEqual({ name: 'channel_occupied', channel: 'barrier' });
  });
});

describe('the signature covers the raw bytes, not the JSON they hold', () => {
  // Whitespace, key order, a unicode escape and `1.0`: all change when parsed and re-serialized.
  const RAW = '{ "events" : [ {"channel":"caf\\u00e9-raw", "name":"channel_occupied"} ],\n  "time_ms": 1.0 }';
  const RESERIALIZED = JSON.stringify(JSON.parse(RAW));

  it('accepts a body signed as sent, whose bytes change when re-serialized, and processes it', async () => {
    expect(RESERIALIZED).not.toBe(RAW);
    const before = handled.items.length;
    const res = await post(RAW, { 'x-pusher-signature': sign(RAW) });
    expect([res.status, res.body]).toEqual([200, { ok: true }]);
    expect(await handled.at(before)).toEqual({ event: { name: 'channel_occupied', channel: 'café-raw' }, timeMs: 1 });
  });

  it('refuses those bytes under the signature of their re-serialized form', async () => {
    const res = await post(RAW, { 'x-pusher-signature': sign(RESERIALIZED) });
    expect([res.status, res.body]).toEqual([401, BAD_SIGNATURE]);
  });
});

describe('after verification', () => {
  it('refuses a signed body with another content type: 415', async () => {
    const res = await post(VECTOR.body, { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' } });
  });

  it('accepts application/json; charset=utf-8', async () => {
    expect((await post(VECTOR.body, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('refuses a signed body that is not JSON: 400', async () => {
    const res = await post('{"events":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'The webhook body is not valid JSON.' } });
  });

  it.each<[string, string, Array<{ field: string; problem: string }>]>([
    ['no events array', '{"time_ms":1,"events":{}}', [{ field: 'events', problem: 'must be an array of events' }]],
    ['an array body', '[]', [{ field: 'body', problem: 'Invalid input: expected object, received array' }]],
    ['an event without a name', '{"events":[{"channel":"x"}]}', [{ field: 'events.0.name', problem: 'Invalid input: expected string, received undefined' }]],
  ])('refuses a signed body with %s: 400 with details', async (_label, body, details) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_request', details } });
  });

  it('refuses a body over 1 MB: 413', async () => {
    const res = await post(`{"events":[],"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
  });

  it('logs every event, then answers before a slow handler finishes; later webhooks wait their turn', async () => {
    const start = handled.items.length;
    const slow = await post('{"time_ms":5,"events":[{"name":"member_added","channel":"presence-a","user_id":"slow"}]}');
    expect(slow.status).toBe(200);
    await logLine(lines, 'webhook received', (l) => l.user_id === 'slow' && l.webhook === 'member_added' && l.channel === 'presence-a');
    expect((await post('{"time_ms":6,"events":[{"name":"channel_occupied","channel":"after-slow"}]}')).status).toBe(200);
    expect(handled.items.length).toBe(start);
    releaseSlowHandler();
    expect((await handled.at(start)).event).toEqual({ name: 'member_added', channel: 'presence-a', user_id: 'slow' });
    expect((await handled.at(start + 1)).event).toEqual({ name: 'channel_occupied', channel: 'after-slow' });
  });

  it('logs a failing handler and goes on with the next event; skips unknown and malformed events', async () => {
    const start = handled.items.length;
    const body = JSON.stringify({
      time_ms: 7,
      events: [
        { name: 'member_removed', channel: 'presence-a', user_id: 'u9' },
        { name: 'some_future_event', channel: 'x' },
        { name: 'client_event', channel: 'private-a' },
        { name: 'client_event', channel: 'private-a', event: 'client-x', data: '{}', socket_id: '1.2' },
      ],
    });
    expect((await post(body)).status).toBe(200);
    expect((await handled.at(start)).event).toEqual({ name: 'client_event', channel: 'private-a', event: 'client-x', data: '{}', socket_id: '1.2' });
    const failed = await logLine(lines, 'webhook handler failed');
    expect(failed).toMatchObject({ webhook: 'member_removed', err: { message: 'handler failed for u9' } });
    await logLine(lines, 'webhook event with no known name: skipped', (l) => l.webhook === 'some_future_event');
    await logLine(lines, 'malformed webhook event: skipped', (l) => l.webhook === 'client_event');
  });

  it('never logs the app secret', () => {
    expect(lines.items.map((l) => JSON.stringify(l)).join('\n')).not.toContain(`"${VECTOR.secret}"`);
  });
});
