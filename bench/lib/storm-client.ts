/**
 * One client coming back after its connection dropped, as pusher-js does it: open the WebSocket,
 * take the socket id from the handshake, then for every channel at once POST `socket_id` and
 * `channel_name` (form-encoded, bearer token) to the auth endpoint and send `pusher:subscribe`
 * with the answer. Back once each channel's `subscription_succeeded` has arrived.
 * The bytes on the wire are pusher-js's; the client itself is as lean as a client can be
 * (lib/wire-ws.ts, lib/wire-http.ts): frames are matched as bytes and only the handshake is
 * parsed, so the load generator does not pay for presence rosters and member_added frames it does
 * not need, and its CPU goes to the storm rather than to client machinery.
 */
import { appPath } from '../../conformance/raw-client.js';
import { WireHttpError, type WireHttpConnection } from './wire-http.js';
import { WireSocket } from './wire-ws.js';

export interface StormClientSpec {
  readonly wsUrl: string;
  readonly key: string;
  readonly authUrl: URL;
  readonly token: string;
  readonly channels: readonly string[];
  readonly timeoutMs: number;
}

/** Why a client did not come back, short enough to count by (`auth 403`, `closed 4100`, `timeout`). */
export class ClientFailure extends Error {}

interface AuthAnswer {
  readonly auth: string;
  readonly channel_data?: string;
}

const PONG = JSON.stringify({ event: 'pusher:pong', data: {} });
const CHANNEL = /"channel":"([^"]+)"/;
const EVENT_PREFIX = Buffer.from('{"event":"');
const QUOTE = 0x22;

/**
 * The frame's event name, read where the server writes it (first, as `{"event":"...`) without
 * decoding the rest: most frames of a storm are `member_added`s this client only skips.
 * Frames written another way are decoded.
 */
function eventOf(payload: Buffer): string {
  if (payload.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
    const end = payload.indexOf(QUOTE, EVENT_PREFIX.length);
    if (end !== -1) return payload.toString('latin1', EVENT_PREFIX.length, end);
  }
  return String((JSON.parse(payload.toString('utf8')) as { event?: unknown }).event);
}

/** `auth` is the client's own keep-alive connection to the auth endpoint, as a browser tab has. */
async function postAuth(spec: StormClientSpec, auth: WireHttpConnection, socketId: string, channel: string): Promise<AuthAnswer> {
  const body = `socket_id=${encodeURIComponent(socketId)}&channel_name=${encodeURIComponent(channel)}`;
  const headers = ['Content-Type: application/x-www-form-urlencoded', `Authorization: Bearer ${spec.token}`];
  const answer = await auth.post(spec.authUrl.pathname, headers, body).catch((err: unknown) => {
    throw new ClientFailure(err instanceof WireHttpError ? `auth ${err.message}` : 'auth error');
  });
  if (answer.status !== 200) throw new ClientFailure(`auth ${answer.status}`);
  try {
    return JSON.parse(answer.body) as AuthAnswer;
  } catch {
    throw new ClientFailure('auth answer not JSON');
  }
}

/** Resolves with the open socket once subscribed to every channel; rejects with a ClientFailure. */
export function reconnect(spec: StormClientSpec, auth: WireHttpConnection): Promise<WireSocket> {
  const pending = new Set(spec.channels);
  let socketId: string | undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure === undefined) return resolve(socket);
      socket.terminate();
      reject(new ClientFailure(failure));
    };
    const timer = setTimeout(() => settle('timeout'), spec.timeoutMs);
    const subscribe = (channel: string) =>
      postAuth(spec, auth, socketId ?? '', channel).then(
        (answer) => socket.sendText(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: answer.auth, channel_data: answer.channel_data } })),
        (err: unknown) => settle(err instanceof ClientFailure ? err.message : 'auth error'),
      );
    const onText = (payload: Buffer) => {
      const event = eventOf(payload);
      if (event === 'pusher:ping') return socket.sendText(PONG);
      if (socketId === undefined) {
        if (event !== 'pusher:connection_established') return settle(`handshake ${event}`);
        const frame = JSON.parse(payload.toString('utf8')) as { data: string };
        socketId = (JSON.parse(frame.data) as { socket_id: string }).socket_id;
        for (const channel of spec.channels) void subscribe(channel);
        return;
      }
      if (event === 'pusher_internal:subscription_succeeded') {
        const channel = CHANNEL.exec(payload.toString('utf8', 0, 200))?.[1];
        if (channel !== undefined) pending.delete(channel);
        if (pending.size === 0) settle();
      } else if (event === 'pusher:error' || event === 'pusher_internal:subscription_error' || event === 'pusher:subscription_error') {
        settle(`refused: ${payload.toString('utf8').slice(0, 120)}`);
      }
    };
    const socket = WireSocket.open(new URL(`${spec.wsUrl}${appPath(spec.key)}`), { onText, onClose: (code) => settle(`closed ${code}`) });
  });
}
