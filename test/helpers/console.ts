/** Real /pusher/auth calls for the console tests: each one is a decision the console must show. */
import { demoLogin, type TestClient } from './pusher-client.js';
import { withTimeout } from './wait.js';

export const SOCKET_ID = '1234.5678';

export async function authorize(baseUrl: string, token: string, channel: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${baseUrl}/pusher/auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ socket_id: SOCKET_ID, channel_name: channel }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** One request, one decision per channel (the pusher-js-auth plugin's batch form). */
export async function authorizeBatch(baseUrl: string, token: string, channels: readonly string[]): Promise<number> {
  const body = new URLSearchParams({ socket_id: SOCKET_ID });
  channels.forEach((name, i) => body.set(`channel_name[${i}]`, name));
  const res = await fetch(`${baseUrl}/pusher/auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

export async function consoleFetch(baseUrl: string, path: string, init: { token?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

export { demoLogin };

/** `pusher.signin()`, resolved once the server subscribed the connection to `#server-to-user-<id>`. */
export function signIn(client: TestClient, userId: string): Promise<void> {
  const done = new Promise<void>((resolve) => {
    client.pusher.connection.bind('message', (message: { event: string; channel?: string }) => {
      if (message.event === 'pusher_internal:subscription_succeeded' && message.channel === `#server-to-user-${userId}`) resolve();
    });
  });
  client.pusher.signin();
  return withTimeout(done, 5000, `user ${userId} to sign in`);
}
