/**
 * Shared test helper: a real HTTP server on port 0 that records every request (method, path,
 * query, headers, raw body) and answers with whatever `respond` says; by default 200 `{}`.
 * `respond` may return 'hang' to never answer (timeouts), 'stall' to send a 200 head and the start
 * of a body, then nothing more, or 'reset' to reset the connection once the request was read (a
 * connection lost after sending).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inbox } from './wait.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Respond = (request: RecordedRequest, index: number) => { status: number; body?: string } | 'hang' | 'stall' | 'reset';

export interface HttpRecorder {
  readonly url: string;
  readonly port: number;
  readonly requests: Inbox<RecordedRequest>;
  respond: Respond;
  close(): Promise<void>;
}

export async function startHttpRecorder(respond: Respond = () => ({ status: 200, body: '{}' })): Promise<HttpRecorder> {
  const requests = new Inbox<RecordedRequest>();
  const recorder: { respond: Respond } = { respond };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://recorder');
      const recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      const answer = recorder.respond(recorded, requests.items.length);
      requests.push(recorded);
      if (answer === 'hang') return;
      if (answer === 'reset') return req.socket.resetAndDestroy();
      if (answer === 'stall') return res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).write('{"ok"');
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(recorder, {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
