/**
 * The reconnect storm's hand-written baseline, in its own process: what an app developer writes
 * in ~20 lines. Express 5, jose HS256 verify of the bearer token on every request, the owner
 * check (`private-user-<sub>` only for its owner, presence for anyone, member data from the
 * token), `pusher.authorizeChannel`. No rate limit, metrics, logging or token memory.
 * IPC: `ready` {url}; `profile-start`/`profile-stop` as bench/serve.ts; `stop`.
 * Env: JWT_SECRET, PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_HOST, PUSHER_PORT (the embedded server).
 */
import express from 'express';
import { jwtVerify } from 'jose';
import type { AddressInfo } from 'node:net';
import { onMessage, report } from './lib/child.js';
import { answerProfileMessage } from './lib/profile-window.js';
import { embeddedPusher, requiredEnv } from './lib/storm-pusher.js';

const env = requiredEnv('baseline-storm-auth');
const secret = new TextEncoder().encode(env('JWT_SECRET'));
const pusher = embeddedPusher(env);

const app = express();
app.post('/pusher/auth', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
  const { socket_id: socketId, channel_name: channel } = req.body as Record<string, unknown>;
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  if (typeof socketId !== 'string' || typeof channel !== 'string') return void res.status(400).json({ error: 'bad request' });
  const claims = await jwtVerify(token, secret, { algorithms: ['HS256'] }).then((r) => r.payload, () => undefined);
  if (!claims?.sub) return void res.status(401).json({ error: 'unauthenticated' });
  if (channel.startsWith('presence-')) {
    const name = typeof claims.name === 'string' ? claims.name : undefined;
    return void res.json(pusher.authorizeChannel(socketId, channel, { user_id: claims.sub, user_info: { name } }));
  }
  if (channel !== `private-user-${claims.sub}`) return void res.status(403).json({ error: 'forbidden' });
  res.json(pusher.authorizeChannel(socketId, channel));
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  report({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
onMessage((message) => {
  answerProfileMessage(message);
  if (message.type === 'stop') server.close(() => process.exit(0));
});
