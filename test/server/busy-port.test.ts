/** A port already in use: startServer rejects with a ListenError, and `main` prints one line and exits 1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ListenError, startServer, type RunningServer } from '../../src/server.js';
import { startMain } from '../helpers/main-process.js';
import { silentLogger, startTestServer } from '../helpers/server.js';

let first: RunningServer;
const busyLine = (port: number) =>
  `Port ${port} is already in use on 127.0.0.1: stop what uses it, or choose another port, e.g. PORT=${port + 1} npm start`;

beforeAll(async () => {
  first = await startTestServer();
});
afterAll(() => first.close());

describe('a busy port', () => {
  it('makes startServer reject with a ListenError naming the port and how to choose another', async () => {
    const config = loadConfig({ PORT: String(first.port), LOG_LEVEL: 'silent' });
    const error = await startServer(config, { logger: silentLogger }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ code: 'EADDRINUSE', port: first.port, message: busyLine(first.port) });
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200); // the first server is untouched
  });

  it('makes the real entry point print that one line, no stack, and exit 1', async () => {
    const escaped = busyLine(first.port).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(startMain({ PORT: String(first.port) })).rejects.toThrow(new RegExp(`^main exited \\(1\\) before its banner:\\n${escaped}\\n$`));
  });
});
