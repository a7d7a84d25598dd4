import { createHash } from 'node:crypto';
import { expectedAuth as authFor } from '../../../test/helpers/tokens.js';
import { describe, expect, it } from 'vitest';
import { createSigner } from '../src/signer.js';
import {
  authString,
  channelStringToSign,
  encryptedChannelSharedSecret,
  userStringToSign,
  verifyAuthString,
} from '@pusher-auth-server/pusher-core';

/** An independent verifier: HMAC-SHA256 straight from node:crypto, as docs/protocol.md#channel-signatures states it. */
const expectedAuth = (key: string, secret: string, toSign: string) => authFor({ key, secret }, toSign);

const docs = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

// [#, key, secret, socket, channel, channel_data (as sent) or undefined, expected auth]
const channelVectors: Array<[string, string, string, string, string, string | undefined, string]> = [
  ['D1', docs.key, docs.secret, '1234.1234', 'private-foobar', undefined, '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4'],
  ['D3 (Mr. Pusher)', docs.key, docs.secret, '1234.1234', 'presence-foobar', '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}', '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c'],
  ['D3 (as printed)', docs.key, docs.secret, '1234.1234', 'presence-foobar', '{"user_id":10,"user_info":{"name":"Mr. Channels"}}', '278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80'],
  ['V1', '1234', 'tofu', '123.456', 'test', undefined, '1234:efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c'],
  ['V2', 'aaaa', 'tofu', '321.654', 'test', undefined, 'aaaa:f6ecb0a17d3e4f68aca28f1673197a7608587c09deb0208faa4b5519aee0a777'],
  ['V3', 'aaaa', 'tofu', '123.456', 'test1', undefined, 'aaaa:d5ab857f805433cb50562da96afa41688d7742a3c3a021ed15a4d991a4d8cf94'],
  ['V4', 'aaaa', 'tofu', '123.456', 'test2', undefined, 'aaaa:43affa6a09af1fb9ce1cadf176171346beaf7366673ec1e5920f68b3e97a466d'],
  ['V5', '11111', '1', '123.456', 'test', undefined, '11111:584828bd6e80b2d177d2b28fde07b8e170abf87ccb5a791a50c933711fb8eb28'],
  ['V6', '11111', '2', '123.456', 'test', undefined, '11111:269bbf3f7625db4e0d0525b617efa5915c3ae667fd222dc8e4cb94bc531f26f2'],
  ['V7', 'aaaa', 'tofu', '123.456', 'test', '{"foo":"bar"}', 'aaaa:f41faf9ead2ea76772cc6b1168363057459f02499ae4d92e88229dc7f4efa2d4'],
  ['V8', 'aaaa', 'tofu', '1.1', 'test', '"ą§¶™€łü€ß£"', 'aaaa:2a229263e89d9c50524fd80c2e88be2843379f6931e28995e2cc214282c9db0c'],
  ['V13', 'f00d', 'tofu', '123.456', 'private-encrypted-bla', '"foo"', 'f00d:962c48b78bf93d98ff4c92ee7dff04865821455b7b401e9d60a9e0a90af2c105'],
  ['V14', 'f00d', 'tofu', '123.456', 'bla', '"foo"', 'f00d:013ad3da0d88e0df6ae0a8184bef50b9c3933f2344499e6e3d1ad67fad799e20'],
  ['derived', 'f00d', 'tofu', '123.456', 'private-encrypted-bla', undefined, 'f00d:43d808e37d261f4e02402a739649ba29a6854cb978efdbc92892cd744c567030'],
];

// [#, key, secret, socket, user_data (as sent), expected auth]
const userVectors: Array<[string, string, string, string, string, string]> = [
  ['D2', docs.key, docs.secret, '1234.1234', '{"id":"12345"}', '278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba'],
  ['V9', 'aaaa', 'tofu', '123.456', '{"id":"45678"}', 'aaaa:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd'],
  ['V10', 'aaaa', 'tofu', '123.456', '{"id":"55555","user_name":"test"}', 'aaaa:b8a9f173455903792ae2b788add0c4c78ad7372b3ae7fb5769479276a1993743'],
  ['V11a', '11111', '1', '123.456', '{"id":"45678"}', '11111:79bddf29fe8e2153dd5d8d569b3f45e5aeb26ae2eb4758879d844791b466cfa2'],
  ['V11b', '11111', '2', '123.456', '{"id":"45678"}', '11111:a542498ffa6faf6de7c17a8106b923c042319bd73acfd1d274df32e269b55d1f'],
  ['V12', 'aaaa', 'tofu', '1.1', '{"id":"ą§¶™€łü€ß£"}', 'aaaa:620494cee53d6c568b49598313194088afda37218f0d059af03c0c898ed61ff4'],
];

describe('channel signatures (docs/protocol.md#test-vectors)', () => {
  it.each(channelVectors)('%s', (_name, key, secret, socketId, channel, channelData, expected) => {
    const toSign = channelStringToSign(socketId, channel, channelData);
    expect(expectedAuth(key, secret, toSign)).toBe(expected);
    expect(authString({ key, secret }, toSign)).toBe(expected);
    expect(verifyAuthString({ key, secret }, toSign, expected)).toBe(true);
  });

  it.each(userVectors)('user %s', (_name, key, secret, socketId, userData, expected) => {
    const toSign = userStringToSign(socketId, userData);
    expect(expectedAuth(key, secret, toSign)).toBe(expected);
    expect(authString({ key, secret }, toSign)).toBe(expected);
  });

  it('refuses a signature that differs by one character, by key, or is not a string', () => {
    const app = { key: 'aaaa', secret: 'tofu' };
    const good = 'aaaa:f6ecb0a17d3e4f68aca28f1673197a7608587c09deb0208faa4b5519aee0a777';
    const toSign = channelStringToSign('321.654', 'test');
    expect(verifyAuthString(app, toSign, good.replace(/7$/, '8'))).toBe(false);
    expect(verifyAuthString(app, toSign, good.replace('aaaa', 'bbbb'))).toBe(false);
    expect(verifyAuthString(app, toSign, `${good}0`)).toBe(false);
    expect(verifyAuthString(app, toSign, undefined)).toBe(false);
  });

  it('signs an empty channel_data with its colon, unlike a missing one', () => {
    expect(channelStringToSign('1.1', 'private-a', '')).toBe('1.1:private-a:');
    expect(channelStringToSign('1.1', 'private-a')).toBe('1.1:private-a');
  });
});

describe('the SDK signing path agrees with the vectors', () => {
  it('D1 through createSigner', () => {
    const signer = createSigner({ appId: '1', ...docs });
    expect(signer.signChannel('1234.1234', 'private-foobar')).toEqual({
      auth: '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
    });
  });

  it('D2 and V9 through createSigner.signUser', () => {
    expect(createSigner({ appId: '1', ...docs }).signUser('1234.1234', { id: '12345' })).toEqual({
      auth: '278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
      user_data: '{"id":"12345"}',
    });
    expect(createSigner({ appId: '1', key: 'aaaa', secret: 'tofu' }).signUser('123.456', { id: '45678' }).auth).toBe(
      'aaaa:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd',
    );
  });

  it('a presence member: channel_data is the exact string signed', () => {
    const signer = createSigner({ appId: '1', key: 'aaaa', secret: 'tofu' });
    const answer = signer.signChannel('1.1', 'presence-room', { user_id: '7', user_info: { name: 'Ada' } });
    expect(answer.channel_data).toBe('{"user_id":"7","user_info":{"name":"Ada"}}');
    expect(answer.auth).toBe(expectedAuth('aaaa', 'tofu', `1.1:presence-room:${answer.channel_data}`));
  });

  it('V13: private-encrypted auth and shared_secret', () => {
    const masterKey = Buffer.from('zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=', 'base64');
    const signer = createSigner({ appId: '1', key: 'f00d', secret: 'tofu', encryptionMasterKeyBase64: masterKey.toString('base64') });
    expect(signer.signChannel('123.456', 'private-encrypted-bla')).toEqual({
      auth: 'f00d:43d808e37d261f4e02402a739649ba29a6854cb978efdbc92892cd744c567030',
      shared_secret: 'nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=',
    });
    const independent = createHash('sha256').update(Buffer.concat([Buffer.from('private-encrypted-bla'), masterKey])).digest('base64');
    expect(encryptedChannelSharedSecret('private-encrypted-bla', masterKey)).toBe(independent);
    expect(independent).toBe('nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=');
  });
});
