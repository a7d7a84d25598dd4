/** What every check gets: the official SDK, real clients, raw sockets and signed HTTP, all cleaned up after it. */
import { randomBytes } from 'node:crypto';
import PusherServer from 'pusher';
import type { Channel } from './pusher-js.js';
import { Client, type Identity } from './client.js';
import { appPath, RawClient } from './raw-client.js';
import { signedQuery } from './signed-query.js';
import type { ConformanceTarget } from './types.js';
import { waitFor } from './wait.js';

export class Kit {
  readonly sdk: PusherServer;
  /** Same app, wrong secret: signs what the server must refuse. */
  readonly forgingSdk: PusherServer;
  readonly timeoutMs: number;
  readonly runId = randomBytes(4).toString('hex');
  private counter = 0;
  private readonly clients: Client[] = [];
  private readonly rawClients: RawClient[] = [];

  constructor(readonly target: ConformanceTarget) {
    this.timeoutMs = target.timeoutMs ?? 5000;
    const encryptionMasterKeyBase64 = target.encryptionMasterKeyBase64 ?? randomBytes(32).toString('base64');
    const base = {
      appId: target.appId,
      key: target.key,
      host: target.host,
      port: String(target.port),
      useTLS: target.useTLS ?? false,
      timeout: this.timeoutMs,
    };
    this.sdk = new PusherServer({ ...base, secret: target.secret, encryptionMasterKeyBase64 });
    this.forgingSdk = new PusherServer({ ...base, secret: `${target.secret}-forged`, encryptionMasterKeyBase64 });
  }

  /** A channel (or user) name unique to this run, so the kit can share a server with others. */
  name(prefix: string): string {
    this.counter += 1;
    return `${prefix}conformance-${this.runId}-${this.counter}`;
  }

  async connect(identity: Identity = {}): Promise<Client> {
    const client = new Client(
      {
        host: this.target.host,
        port: this.target.port,
        key: this.target.key,
        useTLS: this.target.useTLS ?? false,
        timeoutMs: this.timeoutMs,
        sdk: this.sdk,
        forgingSdk: this.forgingSdk,
      },
      identity,
    );
    this.clients.push(client);
    await client.waitForState('connected');
    return client;
  }

  /** A bare WebSocket, for what pusher-js hides (frames, close codes). */
  async raw(path = appPath(this.target.key)): Promise<RawClient> {
    const scheme = this.target.useTLS ? 'wss' : 'ws';
    const raw = await RawClient.open(`${scheme}://${this.target.host}:${this.target.port}${path}`, { timeoutMs: this.timeoutMs });
    this.rawClients.push(raw);
    return raw;
  }

  /** Triggers a marker on `channel` and waits for its client to receive it: everything sent to it before has arrived. */
  async marker(channel: Channel): Promise<void> {
    const id = randomBytes(4).toString('hex');
    const seen = waitFor<void>(`marker on ${channel.name}`, this.timeoutMs, (resolve) => {
      const onMarker = (data: { id?: string }): void => {
        if (data.id === id) resolve();
      };
      channel.bind('conformance-marker', onMarker);
      return () => channel.unbind('conformance-marker', onMarker);
    });
    await this.sdk.trigger(channel.name, 'conformance-marker', { id });
    await seen;
  }

  /** A raw HTTP API request signed by hand, for what the SDK will not send (stale, mismatched). */
  async signedRequest(request: {
    method: 'GET' | 'POST';
    path: string;
    body?: string;
    timestampSeconds?: number;
    bodyMd5For?: string;
  }): Promise<{ status: number; body: string }> {
    const path = `/apps/${this.target.appId}${request.path}`;
    const query = signedQuery(
      { key: this.target.key, secret: this.target.secret },
      {
        method: request.method,
        path,
        timestampSeconds: request.timestampSeconds ?? Math.floor(Date.now() / 1000),
        body: request.bodyMd5For ?? request.body,
      },
    );
    const scheme = this.target.useTLS ? 'https' : 'http';
    const init: RequestInit = { method: request.method, signal: AbortSignal.timeout(this.timeoutMs) };
    if (request.body !== undefined) {
      init.body = request.body;
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${scheme}://${this.target.host}:${this.target.port}${path}?${query}`, init);
    return { status: res.status, body: await res.text() };
  }

  /** Closes every client and socket this check opened. */
  cleanup(): void {
    for (const client of this.clients.splice(0)) client.disconnect();
    for (const raw of this.rawClients.splice(0)) raw.terminate();
  }
}
