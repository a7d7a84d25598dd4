/**
 * The one table of error and close codes says, for each close code, what pusher-js does with it.
 * Held to pusher-js itself: a bare WebSocket server greets a real pusher-js client (its Node
 * build), closes it with the code, and the client's next move is watched.
 */
import type { AddressInfo } from 'node:net';
import PusherModule from 'pusher-js';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { PUSHER_ERRORS, PusherProtocolError } from '../src/protocol/codes.js';
import { Inbox, withTimeout } from '../../../test/helpers/wait.js';

const Pusher = PusherModule as unknown as typeof PusherModule.default;

/** What pusher-js does after the close: its next state, and how long until it connected again (if it did). */
async function afterClose(code: number): Promise<{ next: string; reconnectedAfterMs?: number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const connections = new Inbox<number>();
  let count = 0;
  wss.on('connection', (socket) => {
    count += 1;
    socket.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: `${count}.1`, activity_timeout: 120 }) }));
    connections.push(performance.now());
    if (count === 1) setImmediate(() => socket.close(code, 'closed by the test'));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  const client = new Pusher('key', { cluster: 'local', wsHost: '127.0.0.1', wsPort: (wss.address() as AddressInfo).port, forceTLS: false, enabledTransports: ['ws'] });
  const states = new Inbox<string>();
  client.connection.bind('state_change', ({ current }: { current: string }) => states.push(current));
  try {
    const closedAt = await connections.at(0);
    const next = await stateAfter(states, 'connected');
    if (next !== 'connecting') return { next };
    return { next, reconnectedAfterMs: (await withTimeout(connections.at(1), 5000, 'a second connection')) - closedAt };
  } finally {
    client.disconnect();
    await new Promise((resolve) => wss.close(resolve));
  }
}

/** The state pusher-js moved to right after `state`. */
async function stateAfter(states: Inbox<string>, state: string): Promise<string> {
  for (let i = 0; ; i += 1) if ((await states.at(i)) === state) return states.at(i + 1);
}

const closing = Object.entries(PUSHER_ERRORS).filter(([, spec]) => spec.close);

describe('the error and close code table, held to pusher-js', () => {
  it.each(closing)('%s: pusher-js does what the table says', async (_kind, spec) => {
    const seen = await afterClose(spec.code as number);
    if (spec.reconnect === 'never') expect(seen).toEqual({ next: 'disconnected' });
    else expect(seen.next).toBe('connecting');
    if (spec.reconnect === 'backoff') expect(seen.reconnectedAfterMs).toBeGreaterThanOrEqual(900); // pusher-js waits a second
    if (spec.reconnect === 'immediately') expect(seen.reconnectedAfterMs).toBeDefined();
  });

  it('keeps 4301 and subscription problems as messages, never closes', () => {
    expect(PUSHER_ERRORS.rate_limited).toMatchObject({ code: 4301, close: false, reconnect: 'not-a-close' });
    expect(PUSHER_ERRORS.too_deep).toMatchObject({ code: 4301, close: false, reconnect: 'not-a-close' });
    for (const kind of ['invalid_message', 'subscription_refused', 'client_event_refused'] as const) {
      expect(PUSHER_ERRORS[kind]).toMatchObject({ code: null, close: false });
    }
  });

  it('gives a thrown error its code and whether it closes', () => {
    const error = new PusherProtocolError('unauthorized', 'Sign-in failed');
    expect([error.code, error.closes, error.message, error.kind]).toEqual([4009, true, 'Sign-in failed', 'unauthorized']);
    expect(new PusherProtocolError('subscription_refused', 'x').code).toBeNull();
  });
});
