/** The portable conformance kit, run with the real pusher-js and pusher SDK against the embedded server. */
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS, runConformance } from '../../conformance/run.js';
import { startEmbedded, type RunningEmbedded } from './helpers.js';

let server: RunningEmbedded | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

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
});
