/**
 * What a correctly signed subscription may still carry that the server must refuse: channel_data
 * that is not an object, or a user_id that is not a string or a finite number; and how an auth
 * with no key before its colon is answered. Found by mutation testing.
 */
import { describe, expect, it } from 'vitest';
import { errorFrame, sign, succeeded } from './frames.js';
import { socketIds } from './helpers.js';
import { useEmbedded } from './fixture.js';

const fixture = useEmbedded();
const CHANNEL = 'presence-room';

async function subscribeSigned(channelData: string) {
  await fixture.start({ generateSocketId: socketIds('1.1') });
  const { client } = await fixture.connect();
  client.send({ event: 'pusher:subscribe', data: { channel: CHANNEL, auth: sign('1.1', CHANNEL, channelData), channel_data: channelData } });
  return client;
}

describe('signed channel_data', () => {
  it.each(['[1]', '"text"', '7', 'null'])('%s is refused as not an object', async (channelData) => {
    const client = await subscribeSigned(channelData);
    expect(await client.next()).toBe(errorFrame(null, `Invalid channel_data for ${CHANNEL}: expected a JSON object`));
  });

  it.each(['{"user_id":{"id":"1"}}', '{"user_id":["1"]}', '{"user_id":true}', '{"user_id":1e999}', '{}'])(
    '%s is refused: user_id must be a string (or a finite number)',
    async (channelData) => {
      const client = await subscribeSigned(channelData);
      expect(await client.next()).toBe(errorFrame(null, `Invalid channel_data for ${CHANNEL}: user_id must be a string`));
    },
  );

  it('a numeric user_id is the member whose id is its decimal string', async () => {
    const client = await subscribeSigned('{"user_id":7}');
    expect(await client.next()).toBe(succeeded(CHANNEL, { presence: { ids: ['7'], hash: { 7: null }, count: 1 } }));
  });
});

describe('an auth with nothing before its colon', () => {
  it('is a bad signature, not an unknown key', async () => {
    await fixture.start({ generateSocketId: socketIds('1.1') });
    const { client } = await fixture.connect();
    client.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: ':deadbeef' } });
    expect(await client.next()).toBe(errorFrame(null, 'Invalid signature: Expected HMAC SHA256 hex digest of 1.1:private-a, but got deadbeef'));
  });
});
