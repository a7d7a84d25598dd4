/**
 * Property: whatever arrives at /pusher/auth (bodies, content types, headers, socket ids, names on
 * the policy's edges), the answer is a JSON 2xx/4xx, never a 5xx, and a signature is only ever
 * given to the identity the real policy lets join, signed over exactly what was asked.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { authRequest, bodyEncoding, defectiveClaims, headerValue, USERS } from '../helpers/arbitraries.js';
import { mayJoin, requested } from '../helpers/oracle.js';
import { deepUserInfoToken, expectedAuth, expectedSharedSecret, handMadeHs256, JWT_SECRET, tokenFor } from '../helpers/tokens.js';

const STATUSES = [200, 400, 401, 403, 413, 415];
let server: RunningServer;
const tokens: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ JWT_SECRET, AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  for (const user of USERS) tokens.push(await tokenFor(user));
});
afterAll(() => server.close());

/** The identity a request carries: a valid token's user, or nobody. */
const identity = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: USERS.length - 1 }).map((i) => ({ user: USERS[i] as string, header: () => `Bearer ${tokens[i]}` })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<(() => string | undefined)>(
      () => undefined,
      () => 'Bearer not.a.jwt',
      () => `Bearer ${tokens[0]?.slice(0, -2)}xx`, // tampered signature
      () => `Basic ${Buffer.from('1:1').toString('base64')}`,
      () => `bearer  ${tokens[1]} extra`,
    ).map((header) => ({ user: undefined, header })),
  },
  { weight: 1, arbitrary: headerValue.map((value) => ({ user: undefined, header: () => value })) },
  // A valid signature over user_info nested past the limit: refused, never signed, never a 500.
  { weight: 2, arbitrary: fc.integer({ min: 65, max: 5_000 }).map((depth) => ({ user: undefined, header: () => `Bearer ${deepUserInfoToken('1', depth)}` })) },
  // Rightly signed, wrongly claimed: a 401 whose reason is one of the fixed few (explaining is on).
  { weight: 2, arbitrary: defectiveClaims(Math.floor(Date.now() / 1000)).map((claims) => ({ user: undefined, header: () => `Bearer ${handMadeHs256(JSON.stringify(claims))}` })) },
);

/** Why a bearer token may be refused: fixed words, never any of the token's text. */
const TOKEN_REASON =
  /^(?:expired|bad signature|wrong issuer|wrong audience|wrong algorithm|not valid yet|issued in the future|malformed|invalid|(?:missing|invalid) claim (?:iss|aud|sub|exp|nbf|iat|typ|a claim|user_info|name|channels))$/;

/** Checks one signed answer against the policy and an independent signature. */
function checkGrant(user: string | undefined, socketId: unknown, channel: unknown, grant: Record<string, unknown>): void {
  expect(user, 'a signature went to nobody').toBeDefined();
  expect(typeof channel === 'string' && typeof socketId === 'string', 'signed something not asked for').toBe(true);
  const name = channel as string;
  expect(mayJoin(user as string, name), `${user} was signed ${JSON.stringify(name)}`).toBe(true);
  const { app, encryptionMasterKey } = server.config;
  if (name.startsWith('presence-')) {
    const channelData = JSON.stringify({ user_id: user });
    expect(grant).toEqual({ auth: expectedAuth(app, `${socketId}:${name}:${channelData}`), channel_data: channelData });
  } else if (name.startsWith('private-encrypted-')) {
    expect(grant).toEqual({ auth: expectedAuth(app, `${socketId}:${name}`), shared_secret: expectedSharedSecret(name, encryptionMasterKey as Buffer) });
  } else {
    expect(grant).toEqual({ auth: expectedAuth(app, `${socketId}:${name}`) });
  }
}

describe('POST /pusher/auth under arbitrary input', () => {
  it('answers 2xx/4xx JSON only, and signs only what the policy allows the caller', async () => {
    await fc.assert(
      fc.asyncProperty(authRequest, identity, fc.constantFrom('/pusher/auth', '/broadcasting/auth'), headerValue, bodyEncoding, async ({ body: text, type }, who, path, cookie, encoding) => {
        const headers: Record<string, string> = { cookie };
        if (type !== undefined) headers['content-type'] = type;
        const authorization = who.header();
        if (authorization !== undefined) headers.authorization = authorization;
        if (encoding.header !== undefined) headers['content-encoding'] = encoding.header;
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: encoding.encode(text) });
        expect(STATUSES).toContain(res.status);
        const answer = (await res.json()) as Record<string, unknown>;
        if (res.status !== 200) {
          expect(answer).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          const details = (answer.error as { details?: { reason?: unknown } }).details;
          if (res.status === 401 && details !== undefined) expect(details.reason).toMatch(TOKEN_REASON);
          expect(JSON.stringify(answer)).not.toContain('"auth"');
          return;
        }
        const asked = requested(text, type);
        if ('auth' in answer) return checkGrant(who.user, asked.socketId, asked.channels[0], answer);
        for (const [name, entry] of Object.entries(answer as Record<string, { status: number; data?: Record<string, unknown> }>)) {
          expect(asked.channels).toContain(name);
          if (entry.status === 200) checkGrant(who.user, asked.socketId, name, entry.data ?? {});
          else expect(entry).not.toHaveProperty('data');
        }
      }),
      { numRuns: 300 },
    );
  });
});
