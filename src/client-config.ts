/** GET /pusher/config: the options for `new Pusher(key, options)`. Public values only. */
import type { Request } from 'express';
import type { Config } from './config.js';

export interface ClientConfig {
  key: string;
  cluster: string;
  wsHost: string;
  wsPort: number;
  wssPort: number;
  forceTLS: boolean;
  enabledTransports: Array<'ws' | 'wss'>;
  channelAuthorization: { endpoint: string; transport: 'ajax' };
  userAuthentication: { endpoint: string; transport: 'ajax' };
  mode: Config['mode'];
}

const endpoints = {
  channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax' },
  userAuthentication: { endpoint: '/pusher/user-auth', transport: 'ajax' },
} as const;

export function clientConfig(config: Config, req: Request): ClientConfig {
  if (config.mode === 'embedded') {
    // The host and port this request came to, so a browser on the LAN reaches the same server.
    const port = req.socket.localPort ?? config.port;
    return {
      key: config.app.key,
      cluster: 'local',
      wsHost: req.hostname ?? config.host, // no Host header (HTTP/1.0): where we listen
      wsPort: port,
      wssPort: port,
      forceTLS: false,
      enabledTransports: ['ws', 'wss'],
      ...endpoints,
      mode: 'embedded',
    };
  }
  const { cluster, host, port, useTLS, wsHost, wsPort } = config.remote;
  const publicPort = wsPort ?? port;
  return {
    key: config.app.key,
    cluster: cluster ?? 'custom',
    wsHost: wsHost ?? host ?? `ws-${cluster}.pusher.com`,
    wsPort: publicPort ?? 80,
    wssPort: publicPort ?? 443,
    forceTLS: useTLS,
    enabledTransports: ['ws', 'wss'],
    ...endpoints,
    mode: 'remote',
  };
}
