/** docs/protocol.md#test-vectors: the official vectors, verified the way the embedded server verifies subscriptions. */
import PusherServer from 'pusher';
import { describe, expect, it } from 'vitest';
import { channelStringToSign, userStringToSign, verifyAuthString } from '../src/signature.js';

const DOCS = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

const vectors: Array<[string, { key: string; secret: string }, string, string]> = [
  ['D1', DOCS, channelStringToSign('1234.1234', 'private-foobar'), '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4'],
  ['D2', DOCS, userStringToSign('1234.1234', '{"id":"12345"}'), '278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba'],
  [
    'D3 (Mr. Pusher, see erratum 1.6)',
    DOCS,
    channelStringToSign('1234.1234', 'presence-foobar', '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}'),
    '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
  ],
  ['V1', { key: '1234', secret: 'tofu' }, '123.456:test', '1234:efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c'],
  ['V2', { key: 'aaaa', secret: 'tofu' }, '321.654:test', 'aaaa:f6ecb0a17d3e4f68aca28f1673197a7608587c09deb0208faa4b5519aee0a777'],
  ['V3', { key: 'aaaa', secret: 'tofu' }, '123.456:test1', 'aaaa:d5ab857f805433cb50562da96afa41688d7742a3c3a021ed15a4d991a4d8cf94'],
  ['V4', { key: 'aaaa', secret: 'tofu' }, '123.456:test2', 'aaaa:43affa6a09af1fb9ce1cadf176171346beaf7366673ec1e5920f68b3e97a466d'],
  ['V5', { key: '11111', secret: '1' }, '123.456:test', '11111:584828bd6e80b2d177d2b28fde07b8e170abf87ccb5a791a50c933711fb8eb28'],
  ['V6', { key: '11111', secret: '2' }, '123.456:test', '11111:269bbf3f7625db4e0d0525b617efa5915c3ae667fd222dc8e4cb94bc531f26f2'],
  ['V7', { key: 'aaaa', secret: 'tofu' }, '123.456:test:{"foo":"bar"}', 'aaaa:f41faf9ead2ea76772cc6b1168363057459f02499ae4d92e88229dc7f4efa2d4'],
  ['V8', { key: 'aaaa', secret: 'tofu' }, '1.1:test:"ą§¶™€łü€ß£"', 'aaaa:2a229263e89d9c50524fd80c2e88be2843379f6931e28995e2cc214282c9db0c'],
  ['V9', { key: 'aaaa', secret: 'tofu' }, '123.456::user::{"id":"45678"}', 'aaaa:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd'],
  ['V10', { key: 'aaaa', secret: 'tofu' }, '123.456::user::{"id":"55555","user_name":"test"}', 'aaaa:b8a9f173455903792ae2b788add0c4c78ad7372b3ae7fb5769479276a1993743'],
  ['V11a', { key: '11111', secret: '1' }, '123.456::user::{"id":"45678"}', '11111:79bddf29fe8e2153dd5d8d569b3f45e5aeb26ae2eb4758879d844791b466cfa2'],
  ['V11b', { key: '11111', secret: '2' }, '123.456::user::{"id":"45678"}', '11111:a542498ffa6faf6de7c17a8106b923c042319bd73acfd1d274df32e269b55d1f'],
  ['V12', { key: 'aaaa', secret: 'tofu' }, '1.1::user::{"id":"ą§¶™€łü€ß£"}', 'aaaa:620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4'],
  ['V13', { key: 'f00d', secret: 'tofu' }, '123.456:private-encrypted-bla:"foo"', 'f00d:962c48b78bf93d98ff4c92ee7dff04865821455b7b401e9d60a9e0a90af2c105'],
  ['V14', { key: 'f00d', secret: 'tofu' }, '123.456:bla:"foo"', 'f00d:013ad3da0d88e0df6ae0a8184bef50b9c3933f2344499e6e3d1ad67fad799e20'],
  ['derived (encrypted, no channel_data)', { key: 'f00d', secret: 'tofu' }, '123.456:private-encrypted-bla', 'f00d:43d808e37d261f4e02402a739649ba29a6854cb978efdbc92892cd744c567030'],
];

describe('subscription and sign-in signatures (docs/protocol.md#test-vectors)', () => {
  it.each(vectors)('%s verifies, and fails with any byte changed', (_name, app, stringToSign, expected) => {
    expect(verifyAuthString(app, stringToSign, expected)).toBe(true);
    expect(verifyAuthString(app, `${stringToSign} `, expected)).toBe(false);
    const flipped = `${expected.slice(0, -1)}${expected.endsWith('0') ? '1' : '0'}`;
    expect(verifyAuthString(app, stringToSign, flipped)).toBe(false);
    expect(verifyAuthString({ ...app, secret: `${app.secret}x` }, stringToSign, expected)).toBe(false);
    expect(verifyAuthString({ ...app, key: `${app.key}x` }, stringToSign, expected)).toBe(false);
  });

  it('agrees with the SDK: authorizeChannel appends channel_data for any channel type (V13)', () => {
    const sdk = new PusherServer({ appId: '1', key: 'f00d', secret: 'tofu', host: 'localhost', encryptionMasterKeyBase64: 'zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=' });
    const signed = sdk.authorizeChannel('123.456', 'private-encrypted-bla', 'foo' as never);
    expect(signed.channel_data).toBe('"foo"');
    expect(verifyAuthString({ key: 'f00d', secret: 'tofu' }, channelStringToSign('123.456', 'private-encrypted-bla', signed.channel_data), signed.auth)).toBe(true);
    expect(verifyAuthString({ key: 'f00d', secret: 'tofu' }, channelStringToSign('123.456', 'private-encrypted-bla'), signed.auth)).toBe(false);
  });

  it('agrees with the SDK on sign-in (user_data as the exact string signed)', () => {
    const sdk = new PusherServer({ appId: '1', key: 'aaaa', secret: 'tofu', host: 'localhost' });
    const signed = sdk.authenticateUser('123.456', { id: '45678' });
    expect(signed).toEqual({ auth: 'aaaa:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd', user_data: '{"id":"45678"}' });
    expect(verifyAuthString({ key: 'aaaa', secret: 'tofu' }, userStringToSign('123.456', signed.user_data), signed.auth)).toBe(true);
  });

  it('rejects non-string auth values', () => {
    expect(verifyAuthString(DOCS, '1234.1234:private-foobar', undefined)).toBe(false);
    expect(verifyAuthString(DOCS, '1234.1234:private-foobar', 42)).toBe(false);
  });
});
