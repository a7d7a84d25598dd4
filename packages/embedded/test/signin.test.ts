/**
 * `pusher:signin` with a valid signature: signing in again as the same user succeeds again (only
 * another user is refused), and user_data that is JSON but not an object is named as such.
 * Found by mutation testing (issue 19).
 */
import { authString, userStringToSign } from '@pusher-auth-server/pusher-core';
import { describe, expect, it } from 'vitest';
import { TEST_APP, socketIds } from './helpers.js';
import { errorFrame } from './frames.js';
import { useEmbedded } from './fixture.js';

const fixture = useEmbedded();

async function signedInClient() {
  await fixture.start({ generateSocketId: socketIds('1.1') });
  const { client } = await fixture.connect();
  const signIn = (userData: string) =>
    client.send({ event: 'pusher:signin', data: { auth: authString(TEST_APP, userStringToSign('1.1', userData)), user_data: userData } });
  return { client, signIn };
}

const success = (userData: string) => JSON.stringify({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) });

describe('pusher:signin, correctly signed', () => {
  it('as the same user twice: both succeed; as another user then: refused', async () => {
    const { client, signIn } = await signedInClient();
    signIn('{"id":"ada"}');
    expect(await client.next()).toBe(success('{"id":"ada"}'));
    signIn('{"id":"ada","user_info":{"name":"Ada"}}');
    expect(await client.next()).toBe(success('{"id":"ada","user_info":{"name":"Ada"}}'));
    signIn('{"id":"bob"}');
    expect(await client.next()).toBe(errorFrame(4009, 'Sign-in failed: the connection is already signed in as another user'));
  });

  it('user_data that is JSON but not an object is refused as such', async () => {
    const { client, signIn } = await signedInClient();
    signIn('["ada"]');
    expect(await client.next()).toBe(errorFrame(4009, 'Sign-in failed: user_data must be a JSON object'));
  });
});
