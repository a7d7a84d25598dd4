/** fast-check generators for hostile auth requests: names, socket ids, bodies, headers. */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

export const USERS = ['1', '2', 'a.b@c', 'encrypted-user-1', 'user-1'] as const;

const NAME_CHAR = fc.constantFrom(...'abcXYZ0129_-=@,.;'.split(''));
const nameChars = (minLength: number, maxLength: number) => fc.string({ unit: NAME_CHAR, minLength, maxLength });

/** Names that sit on the policy's edges. */
const TRICKY_CHANNELS = [
  'private-user-1', 'private-user-2', 'private-user-', 'private-user-1 ', 'private-user-1\n', ' private-user-1',
  'private-user-1,private-user-2', 'private-user-1;', 'private-user-1.', 'private-user-10', 'private-user-01',
  'PRIVATE-USER-1', 'private-user-１', 'private-user-%31', 'private-user-1%00', 'private-user-1\u0000',
  'private-encrypted-user-1', 'private-encrypted-user-2', 'private-encrypted-user-', 'private-user-encrypted-user-1',
  'private-encrypted-user-user-1', 'private-user-user-1', 'private-user-a.b@c', 'private-user-a.b@c.d',
  'presence-', 'presence-x', 'presence-lobby', 'presence-private-user-2', '#server-to-user-1', 'private-', 'private',
  'public-room', 'private-cache-user-1', 'private-user-1#', `private-user-${'1'.repeat(151)}`, `presence-${'x'.repeat(155)}`,
  `presence-${'x'.repeat(156)}`, '', ' ', 'private-room-1', 'private-room-2', 'private-room-', 'private-room-1,private-room-2',
];
const PREFIXES = ['private-user-', 'private-encrypted-user-', 'private-room-', 'presence-', 'private-', 'private-encrypted-', 'presence-cache-', '', 'cache-'];

export const channelName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('private-user-', 'private-encrypted-user-', 'presence-'), fc.oneof(fc.constantFrom(...USERS), nameChars(1, 6))).map(([p, s]) => p + s) },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_CHANNELS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.oneof(fc.constantFrom(...USERS), nameChars(1, 12), fc.string({ maxLength: 8 }))).map(([p, s]) => p + s) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: nameChars(150, 170).map((s) => `presence-${s}`) },
);

export const socketId: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`) },
  { weight: 2, arbitrary: fc.constantFrom('123.456', '01.02', '1.1\n', '1.', '.1', '1-1', '', '1.1.1', ' 1.1', '1.1 ', '99999999999999999999999.1', '١.١') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Printable ASCII: what fetch lets through as a header value. */
export const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8',
      'Application/JSON', 'application/x-www-form-urlencoded; charset=latin1', 'application/json; charset="utf-8"', 'text/plain',
      'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded;;', undefined,
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

type Fields = Record<string, string>;
const spoofs = fc.dictionary(fc.constantFrom('user_id', 'channel_data', 'user_info', 'auth', 'shared_secret', 'socket_id'), fc.string({ maxLength: 20 }), { maxKeys: 2 });

/** What pusher-js sends (plus spoofed fields), and the pusher-js-auth batch form. */
const formBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(socketId, channelName, spoofs).map(([s, c, extra]) => new URLSearchParams({ ...extra, socket_id: s, channel_name: c } satisfies Fields).toString()) },
  {
    weight: 1,
    arbitrary: fc.tuple(socketId, fc.array(channelName, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([s, names, plainToo]) => {
      const form = new URLSearchParams({ socket_id: s });
      names.forEach((name, i) => form.append(`channel_name[${i}]`, name));
      if (plainToo) form.append('channel_name', names[0] as string);
      return form.toString();
    }),
  },
);

/** JSON text of arrays and objects nested `depth` deep: serializing such a value overflows the stack. */
export function nestedJson(depth: number, leaf = '1'): string {
  return `${'[{"a":'.repeat(depth / 2)}${depth % 2 === 1 ? `[${leaf}]` : leaf}${'}]'.repeat(depth / 2)}`;
}

/** Depths around the limit (packages/pusher-core/src/json.ts) and far past what the stack survives. */
export const deepJson: fc.Arbitrary<string> = fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 3000, max: 12_000 })).map((depth) => nestedJson(depth));

const jsonBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(socketId, channelName, spoofs).map(([s, c, extra]) => JSON.stringify({ ...extra, socket_id: s, channel_name: c })) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(socketId, fc.jsonValue()), fc.oneof(channelName, fc.jsonValue())).map(([s, c]) => JSON.stringify({ socket_id: s, channel_name: c })) },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: fc.tuple(socketId, deepJson, fc.constantFrom('channel_name', 'socket_id', 'user_info')).map(([s, deep, field]) => `{"socket_id":${JSON.stringify(s)},"channel_name":"private-user-1","${field}":${deep}}`) },
);

const chaosBody: fc.Arbitrary<string> = fc.oneof(
  formBody,
  jsonBody,
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', 'socket_id=1.1&channel_name=private-user-1&channel_name=private-user-2', '{"socket_id":"1.1","channel_name":"private-user-1"', '%%%', `socket_id=1.1&channel_name=${'x'.repeat(17_000)}`),
);

export interface AuthRequestShape {
  readonly body: string;
  readonly type: string | undefined;
}

/** Mostly well-formed requests (so the policy is reached), some chaos (so the edges are). */
export const authRequest: fc.Arbitrary<AuthRequestShape> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ body: formBody, type: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8') }) },
  { weight: 3, arbitrary: fc.record({ body: jsonBody, type: fc.constantFrom('application/json', 'application/json; charset=utf-8') }) },
  { weight: 2, arbitrary: fc.record({ body: chaosBody, type: contentType }) },
);

/** POST /console/explain bodies: well-formed "what if" users, and every way to get one wrong. */
export const explainBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        user: fc.record(
          { id: fc.oneof(fc.constantFrom(...USERS), nameChars(0, 3), fc.string({ maxLength: 6 }), fc.jsonValue()), info: fc.jsonValue({ maxDepth: 2 }) },
          { requiredKeys: ['id'] },
        ),
        channel: fc.oneof({ weight: 4, arbitrary: channelName }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Levels that fit a 32 KB frame for each shape (2, 5 and 3.5 bytes a level); 5,000 and more overflow `JSON.stringify`. */
const DEEPEST = { arrays: 12_000, objects: 5_500, mixed: 8_000 } as const;

/**
 * JSON text nested past the server's depth limit (64), often thousands deep, in arrays, objects or
 * both: it parses, but re-serializing the parsed value overflows the stack. Every size stays under
 * the embedded server's 32 KB frame limit, so the frame reaches the code that must refuse it.
 */
export const deepJsonText: fc.Arbitrary<string> = fc
  .constantFrom('arrays', 'objects', 'mixed')
  .chain((shape) => fc.oneof(fc.integer({ min: 65, max: 200 }), fc.integer({ min: 5_000, max: DEEPEST[shape] })).map((depth) => ({ shape, depth })))
  .map(({ shape, depth }) => {
    if (shape === 'arrays') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (shape === 'objects') return `${'{"":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const half = Math.ceil(depth / 2);
    return `${'[{"":'.repeat(half)}0${'}]'.repeat(half)}`;
  });

export interface BodyEncoding {
  /** The Content-Encoding header sent, if any. */
  readonly header: string | undefined;
  readonly encode: (text: string) => Buffer;
}

const compressors: Record<string, (body: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

export const PLAIN_BODY: BodyEncoding = { header: undefined, encode: (text) => Buffer.from(text) };

/** Mostly plain bodies; some compressed (valid), truncated mid-stream, mislabelled or in unknown encodings. */
export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(PLAIN_BODY) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'GZip').map((header) => ({ header, encode: (text: string) => (compressors[header.toLowerCase()] as (b: Buffer) => Buffer)(Buffer.from(text)) })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('gzip', 'deflate', 'br'), fc.double({ min: 0, max: 0.95, noNaN: true })).map(([header, keep]) => ({
      header,
      encode: (text: string) => {
        const whole = (compressors[header] as (b: Buffer) => Buffer)(Buffer.from(text));
        return whole.subarray(0, Math.floor(whole.length * keep));
      },
    })),
  },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'x-unknown', 'zstd').map((header) => ({ header, encode: (text: string) => Buffer.from(text) })) },
);

/** Path segments as a URL carries them: user ids (valid or not) percent-encoded, and broken escapes. */
export const pathSegment: fc.Arbitrary<{ raw: string; decoded: string | undefined }> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(fc.constantFrom(...USERS, '\u0000', '1/2', '..'), nameChars(1, 12), nameChars(126, 130), fc.string({ maxLength: 12 })).map((id) => ({ raw: encodeURIComponent(id), decoded: id })) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%2', '%E0%A4%A', '%C0%AF', '%FF', '1%', '%%31').map((raw) => ({ raw, decoded: undefined })) },
);

/**
 * Claim globs and `{param}` patterns against names built to make a backtracking matcher blow up:
 * runs of one character, many stars, a tail that almost matches.
 */
const REPEATED = fc.constantFrom('-', 'a', '.', '-a');
export const pathologicalName: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('private-', 'private-doc-', ''), REPEATED, fc.integer({ min: 0, max: 156 }), fc.constantFrom('', 'x', '-', 'a'))
  .map(([prefix, unit, count, tail]) => prefix + unit.repeat(count) + tail);

export const pathologicalGlob: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('private-', 'private--', '', '*'),
    fc.array(fc.constantFrom('*', '-*', '*-', 'a*', '**', '-', 'x'), { maxLength: 24 }),
    fc.constantFrom('', 'x', '-', '*', 'a'),
  )
  .map(([head, pieces, tail]) => head + pieces.join('') + tail);

export const pathologicalPattern: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('private-', 'private-doc-', ''),
    fc.array(fc.constantFrom('-', '.', 'a', '', '--'), { minLength: 1, maxLength: 8 }),
    fc.constantFrom('', 'x', '-'),
  )
  .map(([head, separators, tail]) => head + separators.map((s, i) => `{p${i}}${s}`).join('') + tail);

/** Small names and globs over a tiny alphabet, so that matches and near-misses are both common. */
const SMALL_CHAR = fc.constantFrom('a', 'b', '-', '.');
export const smallName = fc.string({ unit: SMALL_CHAR, maxLength: 12 });
export const smallGlob = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*'), maxLength: 8 });
export const smallPattern = fc
  .array(fc.oneof(fc.constant('{p}'), fc.string({ unit: SMALL_CHAR, minLength: 1, maxLength: 2 })), { maxLength: 5 })
  .map((pieces) => pieces.map((piece, i) => (piece === '{p}' ? `{p${i}}` : piece)).join(''));

/**
 * What a Pusher-protocol service may answer a publish: any status, bodies around the 64 KB read
 * cap, refusals in a 200 (soketi's `{"error","code"}`), non-JSON, or no answer at all ('hang':
 * held past the timeout; 'reset': the connection reset once the request was read).
 */
export const upstreamAnswer: fc.Arbitrary<{ status: number; body: string } | 'hang' | 'reset'> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('hang' as const, 'reset' as const) },
  {
    weight: 8,
    arbitrary: fc.record({
      status: fc.constantFrom(200, 200, 200, 201, 202, 204, 301, 400, 401, 403, 404, 413, 429, 500, 502, 503),
      body: fc.oneof(
        fc.constantFrom('', '{}', '{"channels":{}}', 'null', '[]', '{"error":null}', '{"error":"nope"}', '{"error":"nope","code":401}', '{"error":{"why":1},"code":99}', '<html>'),
        fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
        fc.record({ error: fc.string({ maxLength: 20 }), code: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })) }).map((value) => JSON.stringify(value)),
        fc.integer({ min: 64 * 1024 - 2, max: 64 * 1024 + 2 }).map((size) => `"${'x'.repeat(size - 2)}"`),
        fc.integer({ min: 100_000, max: 3_000_000 }).map((size) => 'y'.repeat(size)),
        fc.string({ unit: 'binary', maxLength: 60 }),
      ),
    }),
  },
);

/**
 * JWT claims with at least one defect (expired, not yet valid, a missing or mistyped claim, a sub
 * that cannot be a user id), beside arbitrary others: signed with the right key, each must be a 401
 * that names a fixed reason. `nowSeconds` is the server's time.
 */
export function defectiveClaims(nowSeconds: number): fc.Arbitrary<Record<string, unknown>> {
  const anyValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }));
  const others = fc.record(
    {
      sub: fc.oneof(fc.constantFrom(...USERS), anyValue),
      exp: fc.oneof(fc.constant(nowSeconds + 3600), anyValue),
      nbf: fc.oneof(fc.constant(nowSeconds - 60), anyValue),
      iat: anyValue,
      name: anyValue,
      user_info: fc.oneof(fc.constant({ role: 'x' }), anyValue),
    },
    { requiredKeys: [] },
  );
  const defect = fc.constantFrom<Record<string, unknown>>(
    { exp: nowSeconds - 1 },
    { exp: undefined },
    { exp: `${nowSeconds + 3600}` },
    { nbf: nowSeconds + 3600 },
    { sub: undefined },
    { sub: 'a b' },
    { sub: 7 },
    { sub: 'x'.repeat(129) },
    { channels: 'private-*' },
    { user_info: 'not an object' },
  );
  return fc.tuple(others, defect).map(([claims, flaw]) => {
    const merged: Record<string, unknown> = { ...claims, ...flaw };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    return merged;
  });
}

/**
 * Who reads a channel's fan-out, and how fast: at least one reader that keeps up, and
 * any mix of readers that stop reading or read a byte every few milliseconds, public or presence.
 */
export interface ReaderMix {
  readonly kinds: ReadonlyArray<'healthy' | 'paused' | 'trickle'>;
  readonly presence: boolean;
  /** Events of about 10 KB to publish. */
  readonly events: number;
  readonly maxBufferedBytes: number;
}

export const readerMix: fc.Arbitrary<ReaderMix> = fc.record({
  kinds: fc
    .tuple(fc.constant('healthy' as const), fc.array(fc.constantFrom('healthy', 'paused', 'paused', 'trickle', 'trickle'), { maxLength: 6 }))
    .chain(([first, rest]) => fc.shuffledSubarray([first, ...rest], { minLength: rest.length + 1, maxLength: rest.length + 1 })),
  presence: fc.boolean(),
  events: fc.integer({ min: 100, max: 900 }).map((n) => Math.ceil(n / 10) * 10),
  maxBufferedBytes: fc.constantFrom(16 * 1024, 64 * 1024, 256 * 1024),
});

/**
 * A batch of subscriptions sent at once (public, private, presence), with the connection's
 * credentials expiring after `expireAfter` of them were sent.
 */
export interface ExpiringBatch {
  readonly channels: ReadonlyArray<{ readonly kind: 'public' | 'private' | 'presence'; readonly name: string }>;
  readonly expireAfter: number;
}

export const expiringBatch: fc.Arbitrary<ExpiringBatch> = fc
  .uniqueArray(
    fc.tuple(fc.constantFrom('public', 'private', 'presence'), fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '-'), minLength: 1, maxLength: 6 })),
    { minLength: 1, maxLength: 60, selector: ([kind, suffix]) => `${kind}-${suffix}` },
  )
  .chain((entries) =>
    fc.record({
      channels: fc.constant(entries.map(([kind, suffix]) => ({ kind, name: kind === 'public' ? `room-${suffix}` : `${kind}-${suffix}` }))),
      expireAfter: fc.integer({ min: 0, max: entries.length }),
    }),
  );
