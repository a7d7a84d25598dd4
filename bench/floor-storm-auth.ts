/**
 * The reconnect storm's floor, in its own process: not an auth server, a reference. It checks
 * nothing (the token's `sub` is read, not verified), parses the form with `URLSearchParams` on bare
 * `node:http` and signs with `pusher.authorizeChannel`: the least any auth process must do for a
 * client to subscribe. Its storm time is what the machine allows when auth costs almost nothing,
 * the other processes (embedded server, clients) sharing the same cores.
 * IPC: `ready` {url}; `profile-start`/`profile-stop` as bench/serve.ts; `stop`.
 * Env: PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_HOST, PUSHER_PORT (the embedded server).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onMessage, report } from './lib/child.js';
import { answerProfileMessage } from './lib/profile-window.js';
import { embeddedPusher, requiredEnv } from './lib/storm-pusher.js';

const env = requiredEnv('floor-storm-auth');
const pusher = embeddedPusher(env);

/** The bearer token's `sub`, unverified. */
function subjectOf(authorization: string | undefined): string {
  const payload = authorization?.split('.')[1] ?? '';
  return String((JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const socketId = form.get('socket_id') ?? '';
    const channel = form.get('channel_name') ?? '';
    const member = { user_id: subjectOf(req.headers.authorization), user_info: {} };
    const body = JSON.stringify(channel.startsWith('presence-') ? pusher.authorizeChannel(socketId, channel, member) : pusher.authorizeChannel(socketId, channel));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const { port } = server.address() as AddressInfo;
  report({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
onMessage((message) => {
  answerProfileMessage(message);
  if (message.type === 'stop') server.close(() => process.exit(0));
});
