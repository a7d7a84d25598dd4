/** Listening as the servers here do, with room for a reconnect storm. */
import type { Server } from 'node:http';

/**
 * Connections the kernel may hold before they are accepted. Node's default, 511, is too few when
 * thousands of clients come back at once (a deploy, a network blip): the rest are turned away and
 * retry a second later. The kernel caps it at `net.core.somaxconn` (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;

/** Resolves once `server` listens on `port` and `host`, or rejects with the error (EADDRINUSE, say). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
