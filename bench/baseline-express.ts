/**
 * The auth baseline: a bare Express 5 route in its own process that parses the same urlencoded
 * body and answers a constant JSON. What any Express auth endpoint costs at least.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { onMessage, report } from './lib/child.js';

const app = express();
const answer = { auth: 'bench-key:0000000000000000000000000000000000000000000000000000000000000000' };
app.post('/pusher/auth', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
  const body = req.body as Record<string, unknown>;
  if (typeof body.socket_id !== 'string' || typeof body.channel_name !== 'string') {
    res.status(400).json({ error: 'bad request' });
    return;
  }
  res.json(answer);
});
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  report({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
onMessage((message) => {
  if (message.type === 'stop') server.close(() => process.exit(0));
});
