/** helmet with a CSP that lets the demo page reach exactly its Pusher WebSocket and nothing else. */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

function websocketOrigins(config: Config): string[] {
  if (config.mode === 'embedded') return []; // same host and port: 'self' covers ws: and wss:
  const { cluster, host, wsHost } = config.remote;
  const target = wsHost ?? host ?? `ws-${cluster}.pusher.com`;
  return [`ws://${target}:*`, `wss://${target}:*`, `ws://${target}`, `wss://${target}`];
}

export function securityHeaders(config: Config): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'connect-src': ["'self'", ...websocketOrigins(config)],
        'upgrade-insecure-requests': null,
      },
    },
  });
}
