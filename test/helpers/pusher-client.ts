/**
 * Shared test helper: a real pusher-js client (Node build) configured the way the demo page is:
 * options from GET /pusher/config, a token from POST /demo/login in `channelAuthorization.headers`.
 *
 *   const client = await connectClient(server.url, { userId: '1' });
 *   await client.subscribe('private-user-1');
 *   const inbox = client.listen('private-user-1', 'private-event');
 *   ... await inbox.at(0) ...
 *   client.disconnect();
 */
import PusherModule, { type Channel, type Options } from 'pusher-js';
import { Inbox, withTimeout } from './wait.js';

// pusher-js's types declare an ES default export, but its Node build is `module.exports = Pusher`.
const Pusher = PusherModule as unknown as typeof PusherModule.default;
type Pusher = InstanceType<typeof Pusher>;

export interface TestClient {
  readonly pusher: Pusher;
  readonly socketId: string;
  /** Resolves on `pusher:subscription_succeeded`, rejects on `pusher:subscription_error` or timeout. */
  subscribe(channel: string, timeoutMs?: number): Promise<Channel>;
  /** Every `event` on `channel` from now on, data as pusher-js hands it over. */
  listen(channel: string, event: string): Inbox<unknown>;
  disconnect(): void;
}

export async function demoLogin(baseUrl: string, userId: string): Promise<string> {
  const res = await fetch(`${baseUrl}/demo/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId }),
  });
  if (res.status !== 200) throw new Error(`POST /demo/login answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function pusherOptions(baseUrl: string): Promise<{ key: string } & Options> {
  const res = await fetch(`${baseUrl}/pusher/config`);
  if (res.status !== 200) throw new Error(`GET /pusher/config answered ${res.status}`);
  return (await res.json()) as { key: string } & Options;
}

export async function connectClient(baseUrl: string, { userId, timeoutMs = 5000 }: { userId?: string; timeoutMs?: number } = {}): Promise<TestClient> {
  const { key, ...options } = await pusherOptions(baseUrl);
  const headers: Record<string, string> = userId === undefined ? {} : { Authorization: `Bearer ${await demoLogin(baseUrl, userId)}` };
  const pusher = new Pusher(key, {
    ...options,
    channelAuthorization: { endpoint: `${baseUrl}/pusher/auth`, transport: 'ajax', headers },
    userAuthentication: { endpoint: `${baseUrl}/pusher/user-auth`, transport: 'ajax', headers },
  });
  const connected = new Promise<void>((resolve, reject) => {
    pusher.connection.bind('connected', () => resolve());
    pusher.connection.bind('failed', () => reject(new Error('pusher-js connection failed')));
  });
  await withTimeout(connected, timeoutMs, 'pusher-js to connect');

  return {
    pusher,
    socketId: pusher.connection.socket_id,
    subscribe(name, subscribeTimeoutMs = timeoutMs) {
      const channel = pusher.subscribe(name);
      const outcome = new Promise<Channel>((resolve, reject) => {
        channel.bind('pusher:subscription_succeeded', () => resolve(channel));
        channel.bind('pusher:subscription_error', (error: unknown) =>
          reject(new Error(`subscription to ${name} failed: ${JSON.stringify(error)}`)),
        );
      });
      return withTimeout(outcome, subscribeTimeoutMs, `subscription to ${name}`);
    },
    listen(name, event) {
      const inbox = new Inbox<unknown>();
      (pusher.channel(name) ?? pusher.subscribe(name)).bind(event, (data: unknown) => inbox.push(data));
      return inbox;
    },
    disconnect: () => pusher.disconnect(),
  };
}
