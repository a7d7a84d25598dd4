/**
 * The fan-out baseline: bare `ws` in its own process. It speaks just enough protocol 7 for the
 * same clients (handshake, subscribe) and broadcasts what POST /publish carries, encoded the
 * way Pusher frames an event, once, to every socket. No auth, no validation, no HTTP API.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { onMessage, report } from './lib/child.js';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
let nextId = 1;

wss.on('connection', (socket) => {
  const id = nextId++;
  socket.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: `${id}.${id}`, activity_timeout: 120 }) }));
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as { event?: string; data?: { channel?: string } };
    if (message.event === 'pusher:subscribe') {
      socket.send(JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel: message.data?.channel, data: '{}' }));
    }
  });
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { channel, event, data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel: string; event: string; data: unknown };
    const frame = Buffer.from(JSON.stringify({ event, channel, data: typeof data === 'string' ? data : JSON.stringify(data) }));
    for (const client of wss.clients) client.send(frame, { binary: false });
    const body = '{"ok":true}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  report({ type: 'ready', url: `http://127.0.0.1:${port}`, key: 'baseline' });
});
onMessage((message) => {
  if (message.type !== 'stop') return;
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
