/** docs/protocol.md#http-api-signing: HTTP API signing (the docs' worked example and the SDK vectors) and its verification. */
import { describe, expect, it } from 'vitest';
import { verifyApiRequest } from '../src/api/verify.js';
import { ApiError } from '../src/api/errors.js';
import { apiSignature, apiStringToSign, md5Hex, signedApiQuery } from '@pusher-auth-server/pusher-core';

const APP = { appId: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };
const BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
const TIMESTAMP = 1353088179;
const WORKED_QUERY =
  'auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f' +
  '&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c';

function refusal(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

describe('signing (the documented worked example and SDK vectors)', () => {
  it('reproduces the docs worked example', () => {
    expect(md5Hex(BODY)).toBe('ec365a775a4cd0599faeb73354201b6f');
    const params = [['auth_key', APP.key], ['auth_timestamp', String(TIMESTAMP)], ['auth_version', '1.0'], ['body_md5', md5Hex(BODY)]] as const;
    expect(apiStringToSign('post', '/apps/3/events', params)).toBe(
      'POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f',
    );
    expect(apiSignature(APP.secret, 'POST', '/apps/3/events', params)).toBe('da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c');
    expect(signedApiQuery(APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: TIMESTAMP, body: BODY })).toBe(WORKED_QUERY);
  });

  it('reproduces the SDK vectors (key f00d, secret tofu, timestamp 1234567890)', () => {
    const base = [['auth_key', 'f00d'], ['auth_timestamp', '1234567890'], ['auth_version', '1.0']] as const;
    expect(md5Hex('example body')).toBe('165d5e6d7ca8f73b3853ce45addf42fc');
    expect(apiSignature('tofu', 'GET', '/event', [...base, ['body_md5', '165d5e6d7ca8f73b3853ce45addf42fc']])).toBe(
      'a650196dc427ebe837226f8565ca9232198c6d1b9455eaa72374a9dc0b620e7b',
    );
    const withParams = [['foo', 'bar'], ['baz', '123454321'], ...base] as const;
    expect(apiStringToSign('GET', '/event', withParams)).toBe(
      'GET\n/event\nauth_key=f00d&auth_timestamp=1234567890&auth_version=1.0&baz=123454321&foo=bar',
    );
    expect(apiSignature('tofu', 'GET', '/event', withParams)).toBe('d8bdbd31911fb7400a14fbd36fd7de053494725b64400ae5856deafe304b34a9');
  });

  it('reproduces the SDK body_md5 vectors', () => {
    expect(md5Hex('{"name":"my_event","data":"{\\"some\\":\\"data \\"}","channels":["one"]}')).toBe('e95168baf497b2e54b2c6cadd41a6a3f');
    expect(md5Hex('{"name":"my_event","data":"{\\"some\\":\\"data \\"}","channels":["one","two","three"]}')).toBe(
      '530dac0aa045e5f8e51c470aed0ce325',
    );
    expect(
      md5Hex('{"batch":[{"channel":"integration","name":"event","data":"test"},{"channel":"integration2","name":"event2","data":"test2"}]}'),
    ).toBe('fd5ab5fd40237f27555c4d2564470fdd');
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
});

describe('verifyApiRequest', () => {
  const request = { method: 'POST', path: '/apps/3/events', rawQuery: WORKED_QUERY, body: Buffer.from(BODY) };

  it('accepts the worked example within 600 s either side', () => {
    expect(verifyApiRequest(APP, request, TIMESTAMP * 1000).get('auth_key')).toBe(APP.key);
    expect(() => verifyApiRequest(APP, request, (TIMESTAMP + 600) * 1000)).not.toThrow();
    expect(() => verifyApiRequest(APP, request, (TIMESTAMP - 600) * 1000)).not.toThrow();
  });

  it('refuses it 601 s later (a replay) or earlier', () => {
    expect(refusal(() => verifyApiRequest(APP, request, (TIMESTAMP + 601) * 1000))).toEqual({
      status: 401,
      message: 'Timestamp expired: Given timestamp (1353088179) not within 600s of server time (1353088780)',
    });
    expect(refusal(() => verifyApiRequest(APP, request, (TIMESTAMP - 601) * 1000)).status).toBe(401);
  });

  it('refuses a body whose MD5 does not match, and a body without body_md5', () => {
    expect(refusal(() => verifyApiRequest(APP, { ...request, body: Buffer.from(`${BODY} `) }, TIMESTAMP * 1000))).toEqual({
      status: 401,
      message: `Invalid body_md5: the MD5 of the body received is ${md5Hex(`${BODY} `)}`,
    });
    const unsigned = signedApiQuery(APP, { method: 'POST', path: '/apps/3/events', timestampSeconds: TIMESTAMP });
    expect(refusal(() => verifyApiRequest(APP, { ...request, rawQuery: unsigned }, TIMESTAMP * 1000))).toEqual({
      status: 401,
      message: 'Missing body_md5: a request with a body must sign its MD5',
    });
  });

  it('refuses a wrong key, a wrong version and a missing parameter', () => {
    const otherKey = signedApiQuery({ key: 'other', secret: APP.secret }, { method: 'POST', path: '/apps/3/events', timestampSeconds: TIMESTAMP, body: BODY });
    expect(refusal(() => verifyApiRequest(APP, { ...request, rawQuery: otherKey }, TIMESTAMP * 1000))).toEqual({
      status: 401,
      message: 'Unknown auth_key: other',
    });
    expect(refusal(() => verifyApiRequest(APP, { ...request, rawQuery: WORKED_QUERY.replace('auth_version=1.0', 'auth_version=2.0') }, TIMESTAMP * 1000))).toEqual({
      status: 401,
      message: 'Unsupported auth_version: expected 1.0',
    });
    expect(refusal(() => verifyApiRequest(APP, { ...request, rawQuery: WORKED_QUERY.replace(/&auth_signature=.*/, '') }, TIMESTAMP * 1000))).toEqual({
      status: 401,
      message: 'Missing authentication parameter: auth_signature',
    });
  });

  it('refuses a wrong signature, naming the string to sign but never the secret', () => {
    const tampered = WORKED_QUERY.replace('da4548', 'da4549');
    const { status, message } = refusal(() => verifyApiRequest(APP, { ...request, rawQuery: tampered }, TIMESTAMP * 1000));
    expect(status).toBe(401);
    expect(message).toBe(
      'Invalid signature: you should have sent HmacSHA256Hex("POST\\n/apps/3/events\\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f", your_secret_key), but you sent "da454924c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"',
    );
    expect(message).not.toContain(APP.secret);
    expect(message).not.toContain('da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c');
  });

  it('signs the decoded query: encoded and raw values verify alike, and the path is signed as sent', () => {
    const path = '/apps/3/channels';
    const params = { filter_by_prefix: 'presence-', info: 'user_count' };
    const encoded = signedApiQuery(APP, { method: 'GET', path, timestampSeconds: TIMESTAMP, params: { ...params, info: 'user_count,subscription_count' } });
    expect(encoded).toContain('info=user_count%2Csubscription_count');
    const verified = verifyApiRequest(APP, { method: 'GET', path, rawQuery: encoded, body: Buffer.alloc(0) }, TIMESTAMP * 1000);
    expect(verified.get('info')).toBe('user_count,subscription_count');
    const raw = encoded.replace('%2C', ',');
    expect(() => verifyApiRequest(APP, { method: 'GET', path, rawQuery: raw, body: Buffer.alloc(0) }, TIMESTAMP * 1000)).not.toThrow();
    expect(refusal(() => verifyApiRequest(APP, { method: 'GET', path: '/apps/3/channels/x', rawQuery: raw, body: Buffer.alloc(0) }, TIMESTAMP * 1000)).status).toBe(401);
  });

  it('refuses a repeated parameter with 400', () => {
    expect(refusal(() => verifyApiRequest(APP, { ...request, rawQuery: `${WORKED_QUERY}&auth_key=x` }, TIMESTAMP * 1000))).toEqual({
      status: 400,
      message: 'Duplicate query parameter: auth_key',
    });
  });
});
