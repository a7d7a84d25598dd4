/**
 * An HTTP request held in flight on purpose: the head goes out with `Expect: 100-continue`, and
 * the server's `100 Continue` proves it is handling the request; the body is sent when the test
 * says so. No timing guesses.
 */
import net from 'node:net';
import { withTimeout } from './wait.js';

export interface HeldRequest {
  /** Sends the body; resolves with the final status and body. */
  finish(): Promise<{ status: number; body: string }>;
  destroy(): void;
}

export async function holdRequest(baseUrl: string, path: string, headers: Record<string, string>, body: string): Promise<HeldRequest> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => undefined); // surfaces as a missing answer
  let received = '';
  const changed: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('utf8');
    for (const wake of changed.splice(0)) wake();
  });
  socket.on('close', () => {
    for (const wake of changed.splice(0)) wake();
  });
  const until = (test: () => boolean, what: string) =>
    withTimeout(
      new Promise<void>((resolve, reject) => {
        const check = () => (test() ? resolve() : socket.destroyed ? reject(new Error(`connection closed before ${what}: ${received}`)) : changed.push(check));
        check();
      }),
      10_000,
      what,
    );
  const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Expect: 100-continue', `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  await until(() => received.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), '100 Continue');
  received = received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);

  return {
    async finish() {
      socket.write(body);
      const complete = () => {
        const end = received.indexOf('\r\n\r\n');
        const length = /\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end))?.[1];
        return end !== -1 && length !== undefined && Buffer.byteLength(received.slice(end + 4)) >= Number(length);
      };
      await until(complete, 'the response');
      socket.end();
      return { status: Number(received.slice(9, 12)), body: received.slice(received.indexOf('\r\n\r\n') + 4) };
    },
    destroy: () => socket.destroy(),
  };
}
