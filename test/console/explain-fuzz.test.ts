/**
 * Property: whatever arrives at POST /console/explain, the answer is a 200 that agrees with the
 * policy, or a 4xx with the standard error body; never a 5xx, never a signature.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { contentType, explainBody } from '../helpers/arbitraries.js';
import { mayJoin } from '../helpers/oracle.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('POST /console/explain under arbitrary input', () => {
  it('explains what the policy decides, or refuses with 400/415, and never signs', async () => {
    await fc.assert(
      fc.asyncProperty(explainBody, fc.oneof(fc.constant('application/json'), contentType), async (body, type) => {
        const headers: Record<string, string> = { authorization: `Bearer ${server.config.consoleToken}` };
        if (type !== undefined) headers['content-type'] = type;
        const res = await fetch(`${server.url}/console/explain`, { method: 'POST', headers, body: JSON.stringify(body) });
        const answer = (await res.json()) as Record<string, unknown>;
        expect([200, 400, 415]).toContain(res.status);
        if (res.status !== 200) {
          expect(answer).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          return;
        }
        const { user, channel } = body as { user: { id: string }; channel: string };
        expect(answer.allow).toBe(mayJoin(user.id, channel));
        expect(Object.keys(answer).sort()).toEqual(answer.allow ? ['allow', 'rule'] : ['allow', 'reason', 'rule']);
      }),
      { numRuns: 150 },
    );
  });
});
