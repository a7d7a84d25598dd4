/**
 * Shared test helper: a pusher-js client signed in (`pusher.signin()`), so the server can reach its
 * connection as that user, and how a connection ended.
 *
 *   const client = await signedInClient(server.url, '1');
 *   const closed = closeCode(client);
 *   ... POST /users/1/terminate ...
 *   expect(await closed).toBe(4009);
 */
import { connectClient, type TestClient } from './pusher-client.js';
import { withTimeout } from './wait.js';

export async function signedInClient(baseUrl: string, userId: string, timeoutMs = 5000): Promise<TestClient> {
  const client = await connectClient(baseUrl, { userId, timeoutMs });
  const signedIn = new Promise<void>((resolve, reject) => {
    client.pusher.connection.bind('message', ({ event }: { event: string }) => event === 'pusher:signin_success' && resolve());
    client.pusher.user.bind('pusher:signin_error', () => reject(new Error(`user ${userId} could not sign in`)));
  });
  client.pusher.signin();
  await withTimeout(signedIn, timeoutMs, `user ${userId} to sign in`);
  return client;
}

/**
 * Resolves with the close code once pusher-js gives the connection up ('disconnected'): pusher-js
 * reports the close as an error carrying the code, just before it disconnects.
 */
export function closeCode(client: TestClient, timeoutMs = 5000): Promise<number | undefined> {
  let code: number | undefined;
  const closed = new Promise<number | undefined>((resolve) => {
    client.pusher.connection.bind('error', (err: { error?: { data?: { code?: number } } }) => {
      code = err.error?.data?.code ?? code;
    });
    client.pusher.connection.bind('disconnected', () => resolve(code));
  });
  return withTimeout(closed, timeoutMs, 'the connection to close');
}
