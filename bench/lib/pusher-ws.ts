/** A raw protocol-7 client: connect, wait for the handshake, subscribe to a public channel. */
import WebSocket from 'ws';

function waitForEvent(socket: WebSocket, event: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: Buffer) => {
      const text = raw.toString('utf8');
      if (text.includes(`"event":"${event}"`)) done(undefined, text);
    };
    const onClose = (code: number) => done(new Error(`closed with ${code} while waiting for ${event}`));
    const onError = (err: Error) => done(err);
    function done(err: Error | undefined, text?: string): void {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (err) reject(err);
      else resolve(text ?? '');
    }
    socket.on('message', onMessage);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}

/** `wsUrl` is the server's ws://host:port; resolves once subscribed to `channel`. */
export async function openSubscribed(wsUrl: string, key: string, channel: string, timeoutMs: number): Promise<WebSocket> {
  const socket = new WebSocket(`${wsUrl}/app/${key}?protocol=7&client=bench&version=1.0`, { perMessageDeflate: false });
  socket.on('error', () => undefined); // surfaced through waitForEvent; later errors end in 'close'
  await waitForEvent(socket, 'pusher:connection_established', timeoutMs);
  const subscribed = waitForEvent(socket, 'pusher_internal:subscription_succeeded', timeoutMs);
  socket.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: '' } }));
  await subscribed;
  return socket;
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
