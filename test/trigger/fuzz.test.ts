/**
 * Property: whatever JSON (or not) reaches /trigger, /trigger/batch or /users/:userId/events, with
 * or without the token, the answer is 200 `{ok:true}` or a 4xx error body, never a 5xx: in embedded
 * mode, anything they accept the embedded Pusher service must accept too (a 502 here is a
 * disagreement between the two). Once enough wrong tokens came, a request that reaches the token
 * gate is 429 `rate_limited`, and only then.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { bodyEncoding, channelName, contentType, deepJson, nestedJson, pathSegment, PLAIN_BODY, socketId, type BodyEncoding } from '../helpers/arbitraries.js';
import { frozenClock, RATE_LIMITED, wrongTokens } from '../helpers/wrong-tokens.js';

const TOKEN = 'resilience-trigger-token';
const STATUSES = [200, 400, 401, 404, 413, 415];
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ TRIGGER_TOKEN: TOKEN }, { clock: frozenClock() });
});
afterAll(() => server.close());

const eventName = fc.oneof(
  fc.constantFrom('update', 'client-x', 'pusher:subscribe', 'pusher_internal:x', 'App\\Events\\OrderShipped', '', 'x'.repeat(200), 'x'.repeat(201)),
  fc.string({ maxLength: 30 }),
);
const data = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.integer({ min: 10_200, max: 10_260 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 3400, max: 3430 }).map((n) => 'é€'.repeat(n / 2)) },
  { weight: 1, arbitrary: fc.integer({ min: 6000, max: 10_220 }).map((n) => ({ blob: 'y'.repeat(n) })) },
);
const channels = fc.oneof(
  fc.array(channelName, { maxLength: 3 }),
  fc.integer({ min: 99, max: 101 }).map((n) => Array.from({ length: n }, (_, i) => `room-${i}`)),
);
const triggerBody = fc.oneof(
  { weight: 5, arbitrary: fc.record({ channel: channelName, event: eventName, data, socket_id: socketId, channels, extra: fc.jsonValue() }, { requiredKeys: [] }) },
  { weight: 4, arbitrary: fc.record({ channel: fc.constantFrom('news', 'private-a', 'presence-b', 'private-encrypted-c'), event: eventName, data }) },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const batchBody = fc.oneof(
  fc.record({ batch: fc.array(triggerBody, { maxLength: 11 }) }),
  fc.record({ batch: fc.array(fc.record({ channel: fc.constantFrom('news', 'private-a', 'private-encrypted-c'), event: eventName, data }), { minLength: 1, maxLength: 10 }) }),
);
const userEventBody = fc.oneof(
  { weight: 3, arbitrary: fc.record({ event: eventName, data }) },
  { weight: 2, arbitrary: fc.record({ event: eventName, data, channel: channelName, socket_id: socketId, extra: fc.jsonValue() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue() },
);
/** A user's events path, and whether a request to it reaches the route (a broken escape or no id does not). */
const userEventsPath = pathSegment.map(({ raw, decoded }) => ({
  path: `/users/${raw}/events`,
  routed: decoded !== undefined && decoded !== '' && decoded !== '.' && decoded !== '..',
}));
const json = (path: string) => (body: unknown) => ({ path, text: JSON.stringify(body) ?? '', type: 'application/json' as string | undefined });
const request = fc.oneof(
  { weight: 5, arbitrary: triggerBody.map(json('/trigger')) },
  { weight: 2, arbitrary: batchBody.map(json('/trigger/batch')) },
  { weight: 2, arbitrary: fc.tuple(userEventsPath, userEventBody).map(([{ path, routed }, body]) => ({ ...json(path)(body), gate: routed })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/users/1/events', '/users/a.b@c/events'), fc.string({ unit: 'binary', maxLength: 80 }), contentType).map(([path, text, type]) => ({ path, text, type })) },
  { weight: 1, arbitrary: fc.record({ path: fc.constantFrom('/trigger', '/trigger/batch'), text: fc.string({ unit: 'binary', maxLength: 80 }), type: contentType }) },
  // Built as text: the test's own JSON.stringify would overflow on these.
  {
    weight: 1,
    arbitrary: fc.tuple(deepJson, fc.boolean()).map(([deep, batched]) => {
      const event = `{"channel":"news","event":"e","data":${deep}}`;
      return batched ? { path: '/trigger/batch', text: `{"batch":[${event}]}`, type: 'application/json' } : { path: '/trigger', text: event, type: 'application/json' };
    }),
  },
);
/** Known edges, always tried first. */
/** `gate: false`: the request never reaches the token gate (a broken escape or no user id in the path). */
type Shape = { path: string; text: string; type: string | undefined; gate?: boolean };
const EXAMPLES: [Shape, string | undefined, BodyEncoding][] = [
  [{ path: '/trigger', text: '{"event":""}', type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: '/trigger', text: '{"event":"e","data":1}', type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: '/trigger/batch', text: '{"batch":[{"event":"e","data":1}]}', type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: '/trigger', text: `{"channel":"news","event":"e","data":${nestedJson(5000)}}`, type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: '/trigger', text: '{"channel":"news","event":"e","data":1}', type: 'application/json' }, `Bearer ${TOKEN}`, { header: 'gzip', encode: () => Buffer.alloc(0) }],
  [{ path: '/users/1/events', text: '{"event":"e","data":"x"}', type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: `/users/${'u'.repeat(129)}/events`, text: '{"event":"e","data":1}', type: 'application/json' }, `Bearer ${TOKEN}`, PLAIN_BODY],
  [{ path: '/users/%zz/events', text: '{"event":"e","data":1}', type: 'application/json', gate: false }, `Bearer ${TOKEN}`, PLAIN_BODY],
];
const limit = wrongTokens();
const authorization = fc.constantFrom(`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`, 'Bearer wrong', undefined, `bearer ${TOKEN}`, `Bearer ${TOKEN} x`);

describe('POST /trigger, /trigger/batch and /users/:userId/events under arbitrary input', () => {
  it('answers 200 {ok:true} or a 4xx error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(request, authorization, bodyEncoding, async ({ path, text, type, gate }: Shape, auth, encoding) => {
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (auth !== undefined) headers.authorization = auth;
        if (encoding.header !== undefined) headers['content-encoding'] = encoding.header;
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: encoding.encode(text) });
        const answer = (await res.json()) as unknown;
        const limited = (gate ?? true) && limit.reach(auth === 'Bearer wrong');
        if (limited) expect({ status: res.status, answer }).toEqual({ status: 429, answer: RATE_LIMITED });
        else expect(STATUSES, JSON.stringify(answer)).toContain(res.status);
        if (res.status === 200) expect(answer).toEqual({ ok: true });
        else expect(answer).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }),
      { numRuns: 300, examples: EXAMPLES },
    );
  });
});
