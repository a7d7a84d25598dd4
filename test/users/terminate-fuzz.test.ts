/**
 * Property: whatever user id (encoded, or a broken percent-escape) and token reach
 * POST /users/:userId/terminate, the answer is 200 `{ok:true}` exactly for a valid id with the
 * token, else a 4xx error body (a broken escape: 400 `invalid_request`, not 500), never a 5xx;
 * once enough wrong tokens came, 429 `rate_limited` for every request that reaches the token gate.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUserId } from '@pusher-auth-server/pusher-core';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { pathSegment } from '../helpers/arbitraries.js';
import { frozenClock, RATE_LIMITED, wrongTokens } from '../helpers/wrong-tokens.js';

const TOKEN = 'resilience-terminate-token';
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ TRIGGER_TOKEN: TOKEN }, { clock: frozenClock() });
});
afterAll(() => server.close());

/** Routing comes first: a URL that cannot be decoded is a 400, one without a user id a 404. */
function expectedStatus(decoded: string | undefined, auth: string | undefined): number {
  if (decoded === undefined) return 400;
  // No parameter to route: /users//terminate, and the dot segments URLs resolve (/users/./terminate).
  if (decoded === '' || decoded === '.' || decoded === '..') return 404;
  if (limit.reach(auth === 'Bearer wrong')) return 429;
  if (auth !== `Bearer ${TOKEN}`) return 401;
  return isValidUserId(decoded) ? 200 : 400;
}

const limit = wrongTokens();
const authorization = fc.constantFrom(`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, 'Bearer wrong', undefined);

describe('POST /users/:userId/terminate under arbitrary user ids', () => {
  it('answers 200 for a valid id with the token, else a 4xx error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, authorization, async ({ raw, decoded }, auth) => {
        const headers: Record<string, string> = auth === undefined ? {} : { authorization: auth };
        const res = await fetch(`${server.url}/users/${raw}/terminate`, { method: 'POST', headers });
        const answer = (await res.json()) as unknown;
        const expected = expectedStatus(decoded, auth);
        expect(res.status, `${raw}: ${JSON.stringify(answer)}`).toBe(expected);
        if (res.status === 200) expect(answer).toEqual({ ok: true });
        else if (res.status === 429) expect(answer).toEqual(RATE_LIMITED);
        else expect(answer).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }),
      { numRuns: 200, examples: [[{ raw: '%zz', decoded: undefined }, `Bearer ${TOKEN}`]] },
    );
  });
});
