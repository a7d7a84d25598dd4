/** The portable conformance kit, run with the real pusher-js and pusher SDK against the embedded server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ALL_CHECKS, runConformance } from '../../../conformance/run.js';
import { startEmbedded, type RunningEmbedded } from './helpers.js';

let server: RunningEmbedded | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A broken target: completes the handshake, then never answers anything (no pong, no sign-in, no API). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true });
  const http: Server = createServer((_req, res) => res.writeHead(404, { 'Content-Length': 0 }).end());
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => ws.send(JSON.stringify({ event: 'pusher:connection_established', data: '{"socket_id":"1.1","activity_timeout":120}' }))),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function target(s: RunningEmbedded) {
  return { host: s.host, port: s.port, appId: s.app.appId, key: s.app.key, secret: s.app.secret, timeoutMs: 3000 };
}

describe('conformance kit', () => {
  it('passes every check against the embedded server', async () => {
    server = await startEmbedded();
    const lines: string[] = [];
    const report = await runConformance(target(server), { log: (line) => lines.push(line) });
    const failures = report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.reason ?? ''}`);
    expect(failures).toEqual([]);
    expect(report.passed).toBe(ALL_CHECKS.length);
    expect(lines).toHaveLength(ALL_CHECKS.length + 1);
    expect(lines.at(-1)).toBe(`${ALL_CHECKS.length} passed, 0 failed`);
    expect(server.embedded.stats()).toMatchObject({ presenceMembers: 0 });
  });

  it('fails the client event checks, and only those, against a server with client events off', async () => {
    server = await startEmbedded({ clientEvents: false });
    const report = await runConformance(target(server), { only: ['client event'] });
    expect(report.results.map((r) => [r.name, r.passed])).toEqual([
      ['client event reaches the other subscriber, not its sender', false],
      ['client event on a presence channel carries the sender user_id', false],
      ['client event on a public channel is refused with pusher:error and not delivered', true],
    ]);
    expect(report.results[0]?.reason).toBe(
      'pusher:error while waiting for client event at the receiver: Client events are disabled on this server (EMBEDDED_CLIENT_EVENTS=false)',
    );
  });

  it('fails the API checks against a wrong secret, with the reason in each line', async () => {
    server = await startEmbedded();
    const lines: string[] = [];
    const report = await runConformance({ ...target(server), secret: 'not-the-secret', timeoutMs: 1000 }, {
      log: (line) => lines.push(line),
      only: ['triggerBatch', 'GET /channels/:name'],
    });
    expect(report).toMatchObject({ passed: 0, failed: 2 });
    expect(lines[0]).toMatch(/^FAIL triggerBatch delivers every event: /);
    expect(lines.at(-1)).toBe('0 passed, 2 failed');
  });

  it('ends every check in PASS or FAIL and prints the summary against a server that never confirms anything', async () => {
    const silent = await startSilentServer();
    const lines: string[] = [];
    try {
      const report = await runConformance({ host: '127.0.0.1', port: silent.port, appId: '1', key: 'key', secret: 'secret', timeoutMs: 250 }, { log: (line) => lines.push(line) });
      expect(report.results.map((r) => r.name)).toEqual(ALL_CHECKS.map((check) => check.name));
      expect(lines.slice(0, -1).every((line) => /^(PASS|FAIL) /.test(line))).toBe(true);
      expect(lines.at(-1)).toBe(`${report.passed} passed, ${report.failed} failed`);
      expect(report.results.find((r) => r.name.startsWith('sendToUser'))).toMatchObject({ passed: false, reason: expect.stringMatching(/^timed out after 250 ms waiting for /) as unknown });
    } finally {
      await silent.close();
    }
  }, 90_000);
});
