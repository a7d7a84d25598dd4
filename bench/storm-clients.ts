/**
 * The reconnect storm's clients, in their own process (their CPU and file descriptors apart from
 * the servers'). On `storm`, every client starts at once (at most `concurrency` in flight) and
 * comes back as lib/storm-client.ts describes; answers `stormed` with the figures. On `close`,
 * closes every socket and auth connection and answers `closed`.
 */
import { onMessage, report } from './lib/child.js';
import { nowMs } from './lib/messages.js';
import { pool } from './lib/pusher-ws.js';
import { answerProfileMessage } from './lib/profile-window.js';
import { percentile } from './lib/stats.js';
import { ClientFailure, reconnect } from './lib/storm-client.js';
import type { StormRequest, StormResult } from './lib/storm-messages.js';
import { WireHttpConnection } from './lib/wire-http.js';
import type { WireSocket } from './lib/wire-ws.js';

const sockets: WireSocket[] = [];
const authConnections: WireHttpConnection[] = [];

async function storm(request: StormRequest): Promise<void> {
  const authUrl = new URL(`${request.authUrl}/pusher/auth`);
  const durations: number[] = [];
  const failures: Record<string, number> = {};
  const started = nowMs();
  let lastBack = started;
  await pool(request.tokens.length, request.concurrency, async (i) => {
    const auth = new WireHttpConnection(authUrl);
    authConnections.push(auth);
    const channels = [`private-user-${request.userIds[i] ?? ''}`, `presence-storm-${Math.floor(i / request.presenceSize)}`];
    const clientStarted = nowMs();
    try {
      const spec = { wsUrl: request.wsUrl, key: request.key, authUrl, token: request.tokens[i] ?? '', channels, timeoutMs: request.timeoutMs };
      sockets.push(await reconnect(spec, auth));
      lastBack = nowMs();
      durations.push(lastBack - clientStarted);
    } catch (err) {
      const reason = err instanceof ClientFailure ? err.message : String(err);
      failures[reason] = (failures[reason] ?? 0) + 1;
    }
  });
  report({
    type: 'stormed',
    clients: request.tokens.length,
    back: durations.length,
    failures,
    totalMs: lastBack - started,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    maxMs: percentile(durations, 100),
  } satisfies StormResult);
}

async function closeAll(): Promise<void> {
  for (const socket of sockets) socket.close();
  await Promise.all(sockets.map((socket) => socket.gone));
  for (const auth of authConnections) auth.destroy();
  sockets.length = 0;
  authConnections.length = 0;
  report({ type: 'closed' });
}

onMessage((message) => {
  answerProfileMessage(message);
  if (message.type === 'storm') void storm(message as StormRequest);
  if (message.type === 'close') void closeAll();
  if (message.type === 'stop') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
report({ type: 'ready' });
