/** docs/protocol.md#http-api-signing: the edges of HTTP API signing that the worked examples do not reach. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiStringToSign, signedApiQuery, sortedQueryToSign } from '../src/http-signature.js';

const APP = { key: 'f00d', secret: 'tofu' };
const request = { method: 'POST', path: '/apps/1/events', timestampSeconds: 1234567890 };

/** Checked independently: HMAC-SHA256 of `METHOD\npath\nquery-less-signature` straight from node:crypto. */
function expectSigned(query: string, method: string, path: string): void {
  const [unsigned, signature] = query.split('&auth_signature=') as [string, string];
  const sorted = decodeURIComponent(unsigned.split('&').sort().join('&'));
  expect(signature).toBe(createHmac('sha256', APP.secret).update(`${method}\n${path}\n${sorted}`).digest('hex'));
}

describe('signedApiQuery', () => {
  it('signs body_md5 for a body, as a string or as bytes', () => {
    const md5 = createHash('md5').update('{"a":1}').digest('hex');
    const fromString = signedApiQuery(APP, { ...request, body: '{"a":1}' });
    expect(fromString).toBe(signedApiQuery(APP, { ...request, body: Buffer.from('{"a":1}') }));
    expect(fromString).toContain(`&body_md5=${md5}&auth_signature=`);
    expectSigned(fromString, 'POST', request.path);
  });

  it('leaves body_md5 out when there is no body or an empty one', () => {
    const none = signedApiQuery(APP, request);
    expect(none).toMatch(/^auth_key=f00d&auth_timestamp=1234567890&auth_version=1\.0&auth_signature=[0-9a-f]{64}$/);
    expect(signedApiQuery(APP, { ...request, body: '' })).toBe(none);
    expect(signedApiQuery(APP, { ...request, body: Buffer.alloc(0) })).toBe(none);
  });

  it('percent-encodes keys and values in the query but signs them decoded', () => {
    const query = signedApiQuery(APP, { ...request, method: 'get', params: { 'info&x': 'a b,c=d' } });
    expect(query).toContain('&info%26x=a%20b%2Cc%3Dd&auth_signature=');
    const signature = query.split('&auth_signature=')[1];
    const toSign = 'GET\n/apps/1/events\nauth_key=f00d&auth_timestamp=1234567890&auth_version=1.0&info&x=a b,c=d';
    expect(signature).toBe(createHmac('sha256', APP.secret).update(toSign).digest('hex'));
  });
});

describe('the string to sign', () => {
  it('sorts keys by plain code-unit order (upper case before lower case), whatever order they came in', () => {
    const params = [['b', '2'], ['a', '1'], ['B', '3'], ['_', '4'], ['aa', '5']] as const;
    expect(sortedQueryToSign(params)).toBe('B=3&_=4&a=1&aa=5&b=2');
    expect(sortedQueryToSign([...params].reverse())).toBe('B=3&_=4&a=1&aa=5&b=2');
  });

  it('leaves out auth_signature only, wherever it stands, and does not reorder its input', () => {
    const params = [['z', '1'], ['auth_signature', 'abc'], ['auth_signatures', 'kept'], ['a', '2']] as const;
    const before = JSON.stringify(params);
    expect(sortedQueryToSign(params)).toBe('a=2&auth_signatures=kept&z=1');
    expect(JSON.stringify(params)).toBe(before);
  });

  it('keeps a repeated key in the order given, so the string to sign is deterministic', () => {
    expect(sortedQueryToSign([['a', '2'], ['a', '1']])).toBe('a=2&a=1');
    expect(sortedQueryToSign([['b', '0'], ['a', '1'], ['a', '3'], ['a', '2']])).toBe('a=1&a=3&a=2&b=0');
  });

  it('is empty for no parameters, and upper-cases the method', () => {
    expect(sortedQueryToSign([])).toBe('');
    expect(apiStringToSign('delete', '/apps/1/users/7', [])).toBe('DELETE\n/apps/1/users/7\n');
  });
});
