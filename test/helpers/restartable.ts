/**
 * A local service that a test stops and starts again on the same port (an identity service, an
 * upstream Pusher server). Each start builds a fresh server from the factory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServiceInstance {
  readonly server: Server;
  /** Runs before the HTTP server closes (e.g. close WebSockets). */
  readonly beforeClose?: () => Promise<void>;
}

export class Restartable {
  private current: ServiceInstance | undefined;
  private boundPort = 0;

  constructor(private readonly factory: () => ServiceInstance) {}

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Listens on the port it had before (port 0, the first time). */
  async start(): Promise<void> {
    if (this.current) throw new Error('already running');
    const instance = this.factory();
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    this.boundPort = (instance.server.address() as AddressInfo).port;
    this.current = instance;
  }

  /** Stops accepting and drops every connection, kept-alive ones included. */
  async stop(): Promise<void> {
    const instance = this.current;
    if (!instance) return;
    this.current = undefined;
    await instance.beforeClose?.();
    const closed = new Promise<void>((resolve) => instance.server.close(() => resolve()));
    instance.server.closeAllConnections();
    await closed;
  }
}
