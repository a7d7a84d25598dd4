/**
 * The synchronous HS256 check against jose itself: for any token, where the fast path answers
 * at all, it accepts exactly what jose's `jwtVerify` accepts (with the same claims) and refuses
 * what jose refuses, for the same reason. Tokens it does not take are jose's, as before.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { jwtVerify, type JWTClaimVerificationOptions } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHs256Verifier } from '../../src/auth/hs256.js';
import { rejectionReason } from '../../src/auth/jwt-rejection.js';

const SECRET = 'a-secret-of-the-server-32-bytes!';
const NOW_S = 1_800_000_000;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest('base64url');

const header = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom({ alg: 'HS256' }, { alg: 'HS256', typ: 'JWT' }, { alg: 'HS256', kid: 'k1' }).map((h) => JSON.stringify(h)) },
  fc.constantFrom(
    '{"alg":"HS256","crit":["b64"],"b64":true}',
    '{"alg":"HS256","crit":["b64"],"b64":false}',
    '{"alg":"HS256","crit":["exp"]}',
    '{"alg":"HS256","b64":true}',
    '{"alg":"none"}',
    '{"alg":"hs256"}',
    '{"alg":"RS256"}',
    '{"alg":["HS256"]}',
    '{}',
    '[]',
    '"HS256"',
    'not json',
  ),
);

const time = fc.constantFrom(NOW_S - 3600, NOW_S - 1, NOW_S, NOW_S + 1, NOW_S + 3600);
const claims = fc.record(
  {
    sub: fc.oneof(fc.constantFrom('1', 'user-2', ''), fc.integer()),
    exp: fc.oneof(time, fc.constant('soon')),
    nbf: time,
    iat: time,
    iss: fc.constantFrom('issuer-a', 'issuer-b'),
    aud: fc.oneof(fc.constantFrom('aud-a', 'aud-b'), fc.constant(['aud-b', 'aud-a'])),
    name: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: [] },
);
const payload = fc.oneof({ weight: 5, arbitrary: claims.map((c) => JSON.stringify(c)) }, fc.constantFrom('[]', 'null', '42', '"text"', '{', ''));

type Signature = 'right' | 'other secret' | 'flipped' | 'truncated' | 'empty' | 'padded' | 'none';
const signature = fc.constantFrom<Signature>('right', 'right', 'right', 'other secret', 'flipped', 'truncated', 'empty', 'padded', 'none');
const shape = fc.constantFrom('three parts', 'three parts', 'three parts', 'three parts', 'four parts', 'two parts', 'space inside');

function tokenOf(h: string, p: string, s: Signature, form: string): string {
  const input = `${b64(h)}.${b64(p)}`;
  const right = sign(input, SECRET);
  const signatures: Record<Signature, string> = {
    right,
    'other secret': sign(input, `${SECRET}x`),
    flipped: `${right.slice(0, 10)}${right[10] === 'A' ? 'B' : 'A'}${right.slice(11)}`,
    truncated: right.slice(0, 20),
    empty: '',
    padded: `${right}=`,
    none: '',
  };
  const token = s === 'none' ? `${input}.` : `${input}.${signatures[s]}`;
  if (form === 'four parts') return `${token}.x`;
  if (form === 'two parts') return input;
  if (form === 'space inside') return `${token.slice(0, 5)} ${token.slice(5)}`;
  return token;
}

const claimOptions = fc.record({
  issuer: fc.constantFrom(undefined, 'issuer-a'),
  audience: fc.constantFrom(undefined, 'aud-a'),
});

type Outcome = { accepted: true; payload: unknown } | { accepted: false; reason: string };

function outcomeOf(run: () => unknown): Promise<Outcome> {
  return Promise.resolve()
    .then(run)
    .then(
      (payload) => ({ accepted: true as const, payload }),
      (err: unknown) => ({ accepted: false as const, reason: rejectionReason(err) }),
    );
}

describe('the synchronous HS256 check', () => {
  const fast = createHs256Verifier(SECRET);
  const key = new TextEncoder().encode(SECRET);

  it('agrees with jose on every token it takes: the same claims accepted, the same reason refused', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(header, payload, signature, shape, claimOptions, async (h, p, s, form, { issuer, audience }) => {
        const token = tokenOf(h, p, s, form);
        const options: JWTClaimVerificationOptions = {
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(NOW_S * 1000),
          ...(issuer === undefined ? {} : { issuer }),
          ...(audience === undefined ? {} : { audience }),
        };
        let delegated = false;
        const ours = await outcomeOf(() => {
          const result = fast(token, options);
          delegated = result === undefined;
          return result;
        });
        if (delegated) return;
        taken += 1;
        const jose = await outcomeOf(async () => (await jwtVerify(token, key, { algorithms: ['HS256'], ...options })).payload);
        expect(ours).toEqual(jose);
      }),
      { numRuns: 600 },
    );
    expect(taken).toBeGreaterThan(100); // about a quarter of the runs are plain HS256 tokens
  });

  it('takes a plain signed token and refuses a forged one as a bad signature', () => {
    const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(JSON.stringify({ sub: '7', exp: NOW_S + 60 }))}`;
    const options = { requiredClaims: ['exp', 'sub'], currentDate: new Date(NOW_S * 1000) };
    expect(fast(`${input}.${sign(input, SECRET)}`, options)).toEqual({ sub: '7', exp: NOW_S + 60 });
    expect(() => fast(`${input}.${sign(input, 'another-secret-of-32-bytes-long!')}`, options)).toThrow(/signature verification failed/);
  });

  it('leaves to jose what is not plain HS256: other algorithms, crit or b64, broken structure', () => {
    const options = { currentDate: new Date(NOW_S * 1000) };
    const body = b64('{"sub":"1"}');
    const others = ['{"alg":"none"}', '{"alg":"RS256"}', '{"alg":"HS256","crit":["b64"],"b64":true}', '{"alg":"HS256","crit":["exp"]}', '{"alg":"HS256","b64":true}'];
    for (const h of [...others, '[]', 'null', 'x']) {
      const input = `${b64(h)}.${body}`;
      expect(fast(`${input}.${sign(input, SECRET)}`, options)).toBeUndefined();
    }
    const input = `${b64('{"alg":"HS256"}')}.${body}`;
    for (const token of [input, `${input}.`, `${input}.${sign(input, SECRET)}.x`, `${input}.${sign(input, SECRET)}=`]) {
      expect(fast(token, options)).toBeUndefined();
    }
  });
});
