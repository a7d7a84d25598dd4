/** Starts an embedded server on 127.0.0.1:0 behind a plain `http.createServer`, as `startServer` will. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createEmbeddedServer, type EmbeddedOptions, type EmbeddedServer } from '../../src/embedded/index.js';

export const TEST_APP = { appId: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' } as const;

export interface RunningEmbedded {
  readonly host: string;
  readonly port: number;
  readonly app: typeof TEST_APP;
  readonly embedded: EmbeddedServer;
  readonly http: Server;
  /** `ws://127.0.0.1:<port>` */
  readonly wsBase: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpBase: string;
  close(): Promise<void>;
}

export async function startEmbedded(overrides: Partial<EmbeddedOptions> = {}): Promise<RunningEmbedded> {
  const embedded = createEmbeddedServer({
    app: { ...TEST_APP },
    logger: pino({ level: 'silent' }),
    clientEvents: true,
    ...overrides,
  });
  const http = createServer((req, res) => {
    if (embedded.handleHttp(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
    res.end('not ours\n');
  });
  http.on('upgrade', embedded.handleUpgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    app: TEST_APP,
    embedded,
    http,
    wsBase: `ws://127.0.0.1:${port}`,
    httpBase: `http://127.0.0.1:${port}`,
    async close() {
      await embedded.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Socket ids handed out in order, then `<n>.<n>`. */
export function socketIds(...ids: string[]): () => string {
  let n = 0;
  return () => ids.shift() ?? `${(n += 1)}.${n}`;
}
