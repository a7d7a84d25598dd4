/** A bare `ws` client that keeps frames as the exact text received, for exact-frame assertions. */
import WebSocket from 'ws';

const TIMEOUT_MS = 5000;

export class RawClient {
  private readonly frames: string[] = [];
  private taken = 0;
  private waiter: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.frames.push(data.toString('utf8'));
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string): Promise<RawClient> {
    const socket = new WebSocket(url);
    const client = new RawClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Opens `/app/<key>?protocol=7` and consumes the handshake; returns the client and its socket id. */
  static async connect(base: string, key: string): Promise<{ client: RawClient; socketId: string }> {
    const client = await RawClient.open(`${base}/app/${key}?protocol=7&client=js&version=8.6.0&flash=false`);
    const handshake = JSON.parse(await client.next()) as { data: string };
    return { client, socketId: (JSON.parse(handshake.data) as { socket_id: string }).socket_id };
  }

  /** The next frame not yet taken, as the exact text sent by the server. */
  async next(): Promise<string> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.taken >= this.frames.length) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no frame within ${TIMEOUT_MS} ms (frames so far: ${JSON.stringify(this.frames)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const frame = this.frames[this.taken] as string;
    this.taken += 1;
    return frame;
  }

  /** Parsed next frame, with `data` decoded when it is a JSON string. */
  async nextJson(): Promise<{ event: string; channel?: string; data?: unknown; user_id?: string }> {
    const frame = JSON.parse(await this.next()) as { event: string; channel?: string; data?: unknown; user_id?: string };
    if (typeof frame.data === 'string') {
      try {
        frame.data = JSON.parse(frame.data) as unknown;
      } catch {
        // App and client event data need not be JSON: keep the string as it is.
      }
    }
    return frame;
  }

  /** Frames received and not yet taken. */
  get pending(): readonly string[] {
    return this.frames.slice(this.taken);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** A ping/pong round trip: every frame the server sent before its pong has arrived. */
  async sync(): Promise<string[]> {
    this.send({ event: 'pusher:ping', data: {} });
    const before: string[] = [];
    for (;;) {
      const frame = await this.next();
      if (frame === '{"event":"pusher:pong","data":"{}"}') return before;
      before.push(frame);
    }
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not closed in time')), TIMEOUT_MS).unref()),
    ]);
  }

  close(): void {
    this.socket.terminate();
  }
}
