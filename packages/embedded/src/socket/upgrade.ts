/** Which upgrades are ours (`/app/:key?protocol=7`), and how the others are refused. */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { PusherProtocolError } from '../protocol/codes.js';

const PROTOCOL_VERSION = '7';

export type UpgradeTarget =
  | { readonly kind: 'app'; readonly key: string; readonly protocol: string | null }
  /** Under `/app` but not `/app/:key`: accepted, then closed with 4005. */
  | { readonly kind: 'bad-app-path' }
  /** Not ours at all: an HTTP 404. */
  | { readonly kind: 'not-found' };

/** Whether an upgrade to this URL is the Pusher server's to answer (`/app` and below). */
export function isOwnUpgradePath(url: string | undefined): boolean {
  return parseUpgradeTarget(url).kind !== 'not-found';
}

export function parseUpgradeTarget(url: string | undefined): UpgradeTarget {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', 'http://localhost');
  } catch {
    return { kind: 'not-found' };
  }
  const path = parsed.pathname;
  if (path !== '/app' && !path.startsWith('/app/')) return { kind: 'not-found' };
  const match = /^\/app\/([^/]+)$/.exec(path);
  const key = match?.[1];
  if (key === undefined) return { kind: 'bad-app-path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    return { kind: 'bad-app-path' };
  }
  return { kind: 'app', key: decoded, protocol: parsed.searchParams.get('protocol') };
}

/** Why a connection to `target` must be refused right after the upgrade, if it must. */
export function connectionRefusal(target: UpgradeTarget, appKey: string, capReached: string | undefined): PusherProtocolError | undefined {
  if (target.kind !== 'app') return new PusherProtocolError('path_not_found', 'Path not found: connect to /app/<key>?protocol=7');
  if (target.key !== appKey) return new PusherProtocolError('unknown_app', `App key ${target.key.slice(0, 100)} does not exist on this server`);
  if (target.protocol === null) return new PusherProtocolError('no_protocol', 'No protocol version supplied: connect with ?protocol=7');
  if (target.protocol !== PROTOCOL_VERSION) {
    return new PusherProtocolError('unsupported_protocol', `Unsupported protocol version ${target.protocol.slice(0, 20)}: this server speaks protocol 7`);
  }
  if (capReached !== undefined) return new PusherProtocolError('over_quota', `Over quota: ${capReached}`);
  return undefined;
}

/** Answers an upgrade we do not serve with a plain HTTP error, then drops the socket. */
export function rejectHttpUpgrade(socket: Duplex, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(message)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${message}`);
}
