/** The real server in embedded mode on port 0, plus the backend's side: POST /trigger. */
import Pusher from 'pusher';
import { startTestServer } from './server.js';

export interface DemoServer {
  readonly url: string;
  /** This run's generated TRIGGER_TOKEN. */
  readonly triggerToken: string;
  /** This run's generated CONSOLE_TOKEN. */
  readonly consoleToken: string;
  /** POST /trigger with the server's token, as a backend would; rejects unless 200. */
  trigger(body: { channel: string; event: string; data: unknown }): Promise<void>;
  /** The SDK's sendToUser against the embedded HTTP API, as a backend would call it. */
  sendToUser(userId: string, event: string, data: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoServer(): Promise<DemoServer> {
  const server = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  const { config } = server;
  const token = config.triggerTokens[0] ?? '';
  const sdk = new Pusher({ ...config.app, host: '127.0.0.1', port: String(server.port) });
  return {
    url: server.url,
    triggerToken: token,
    consoleToken: config.consoleToken ?? '',
    async trigger(body) {
      const res = await fetch(`${server.url}/trigger`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`/trigger answered ${res.status}: ${await res.text()}`);
    },
    async sendToUser(userId, event, data) {
      await sdk.sendToUser(userId, event, data);
    },
    close: () => server.close(),
  };
}
