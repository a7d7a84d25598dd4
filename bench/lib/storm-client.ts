/**
 * One client coming back after its connection dropped, as pusher-js does it: open the WebSocket,
 * take the socket id from the handshake, then for every channel at once POST `socket_id` and
 * `channel_name` (form-encoded, bearer token) to the auth endpoint and send `pusher:subscribe`
 * with the answer. Back once each channel's `subscription_succeeded` has arrived.
 * Frames are matched as text and only the handshake is parsed, so the load generator does not
 * pay for decoding presence rosters and member_added frames it does not need.
 */
import http from 'node:http';
import WebSocket from 'ws';
import { appPath } from '../../conformance/raw-client.js';

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

const PING = '"pusher:ping"';
const PING_MAX_BYTES = 64;
const PONG = JSON.stringify({ event: 'pusher:pong', data: {} });
const CHANNEL = /"channel":"([^"]+)"/;

/** `agent` is the client's own keep-alive connection to the auth endpoint, as a browser tab has. */
function postAuth(spec: StormClientSpec, agent: http.Agent, socketId: string, channel: string): Promise<AuthAnswer> {
  const body = `socket_id=${encodeURIComponent(socketId)}&channel_name=${encodeURIComponent(channel)}`;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${spec.token}`,
  };
  return new Promise((resolve, reject) => {
    const request = http.request(spec.authUrl, { method: 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new ClientFailure(`auth ${response.statusCode ?? '?'}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AuthAnswer);
        } catch {
          reject(new ClientFailure('auth answer not JSON'));
        }
      });
      response.on('error', () => reject(new ClientFailure('auth answer cut')));
    });
    request.on('error', (err: NodeJS.ErrnoException) => reject(new ClientFailure(`auth ${err.code ?? 'error'}`)));
    request.end(body);
  });
}

/** Resolves with the open socket once subscribed to every channel; rejects with a ClientFailure. */
export function reconnect(spec: StormClientSpec, agent: http.Agent): Promise<WebSocket> {
  const socket = new WebSocket(`${spec.wsUrl}${appPath(spec.key)}`, { perMessageDeflate: false });
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
      postAuth(spec, agent, socketId ?? '', channel).then(
        (answer) => socket.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: answer.auth, channel_data: answer.channel_data } })),
        (err: unknown) => settle(err instanceof ClientFailure ? err.message : 'auth error'),
      );
    socket.on('error', () => undefined); // a close follows, which says why
    socket.on('close', (code) => settle(`closed ${code}`));
    socket.on('message', (raw: Buffer) => {
      if (raw.length < PING_MAX_BYTES && raw.includes(PING)) return socket.send(PONG);
      if (socketId === undefined) {
        const frame = JSON.parse(raw.toString('utf8')) as { event: string; data: string };
        if (frame.event !== 'pusher:connection_established') return settle(`handshake ${frame.event}`);
        socketId = (JSON.parse(frame.data) as { socket_id: string }).socket_id;
        for (const channel of spec.channels) void subscribe(channel);
        return;
      }
      if (raw.includes('subscription_succeeded')) {
        const channel = CHANNEL.exec(raw.toString('utf8'))?.[1];
        if (channel !== undefined) pending.delete(channel);
        if (pending.size === 0) settle();
      } else if (raw.includes('"pusher:error"') || raw.includes('subscription_error')) {
        settle(`refused: ${raw.toString('utf8').slice(0, 120)}`);
      }
    });
  });
}
