/** Opens raw protocol-7 clients for the bench: connect, wait for the handshake, subscribe to a public channel. */
import type WebSocket from 'ws';
import { RawClient } from '../../conformance/raw-client.js';

/** `wsUrl` is the server's ws://host:port; resolves once subscribed to `channel`, with the socket to read frames from. */
export async function openSubscribed(wsUrl: string, key: string, channel: string, timeoutMs: number): Promise<WebSocket> {
  const client = await RawClient.connect(wsUrl, key, { timeoutMs, socket: { perMessageDeflate: false } });
  client.send({ event: 'pusher:subscribe', data: { channel, auth: '' } });
  await client.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded', `the subscription to ${channel}`);
  return client.detach();
}

/** Runs `task(i)` for i in 0..count-1 with at most `limit` in flight; collects failures. */
export async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await task(i).catch(() => {
        failures += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return failures;
}

const CLOSE_TIMEOUT_MS = 5000;

/** Closes every socket (1000), terminating those that have not closed within 5 s. */
export function closeSockets(sockets: readonly WebSocket[]): Promise<void> {
  return Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.readyState === s.CLOSED) return resolve();
          s.once('close', () => resolve());
          s.close(1000);
          setTimeout(() => s.terminate(), CLOSE_TIMEOUT_MS).unref();
        }),
    ),
  ).then(() => undefined);
}

