/**
 * The fan-out and idle-connection baseline: bare `ws` in its own process, a minimal protocol-7
 * broadcaster. It answers the handshake and public subscribes, keeps what any broadcaster keeps
 * per socket (its id and channels, and each channel's sockets), and broadcasts what POST /publish
 * carries, encoded the way Pusher frames an event, once, to the channel's sockets. No auth, no
 * validation, no HTTP API. IPC: `ready` {url}; `memory` (after a full GC with --expose-gc) with
 * the open connection count; `stop`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { onMessage, report } from './lib/child.js';
import { memoryAnswer, type MemoryRequest } from './lib/memory.js';

interface Peer {
  readonly socketId: string;
  readonly channels: Set<string>;
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const members = new Map<string, Set<WebSocket>>();
let nextId = 1;

function subscribe(socket: WebSocket, peer: Peer, channel: string): void {
  peer.channels.add(channel);
  let sockets = members.get(channel);
  if (!sockets) members.set(channel, (sockets = new Set()));
  sockets.add(socket);
  socket.send(JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel, data: '{}' }));
}

wss.on('connection', (socket) => {
  const id = nextId++;
  const peer: Peer = { socketId: `${id}.${id}`, channels: new Set() };
  socket.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: peer.socketId, activity_timeout: 120 }) }));
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString('utf8')) as { event?: string; data?: { channel?: string } };
    const channel = message.data?.channel;
    if (message.event === 'pusher:subscribe' && typeof channel === 'string') subscribe(socket, peer, channel);
  });
  socket.on('close', () => {
    for (const channel of peer.channels) {
      const sockets = members.get(channel);
      sockets?.delete(socket);
      if (sockets?.size === 0) members.delete(channel);
    }
  });
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { channel, event, data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel: string; event: string; data: unknown };
    const frame = Buffer.from(JSON.stringify({ event, channel, data: typeof data === 'string' ? data : JSON.stringify(data) }));
    for (const client of members.get(channel) ?? []) client.send(frame, { binary: false });
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
  if (message.type === 'memory') report(memoryAnswer(message as MemoryRequest, wss.clients.size));
  if (message.type !== 'stop') return;
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
