/**
 * The WebSocket opening handshake (RFC 6455 4.2), checked and answered as `ws`'s server does:
 * a GET with `Upgrade: websocket`, a 16-byte base64 `Sec-WebSocket-Key` and version 13 (or 8)
 * gets a 101 with the key's digest; the first subprotocol offered, if any, is echoed; no
 * extension is accepted (permessage-deflate stays off, see protocol/frame.ts).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 token characters: what a subprotocol name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface HandshakeRefusal {
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The subprotocols offered, in order, or undefined when the header is malformed. */
function offeredProtocols(header: string | undefined): string[] | undefined {
  if (header === undefined) return [];
  const names = header.split(',').map((name) => name.trim());
  if (names.some((name) => !TOKEN.test(name)) || new Set(names).size !== names.length) return undefined;
  return names;
}

/** Why the upgrade cannot become a WebSocket, if it cannot. */
export function handshakeRefusal(req: IncomingMessage): HandshakeRefusal | undefined {
  if (req.method !== 'GET') return { status: 405, message: 'Invalid HTTP method' };
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return { status: 400, message: 'Invalid Upgrade header' };
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key)) return { status: 400, message: 'Missing or invalid Sec-WebSocket-Key header' };
  const version = Number(req.headers['sec-websocket-version']);
  if (version !== 13 && version !== 8) {
    return { status: 400, message: 'Missing or invalid Sec-WebSocket-Version header', headers: { 'Sec-WebSocket-Version': '13, 8' } };
  }
  if (offeredProtocols(req.headers['sec-websocket-protocol']) === undefined) return { status: 400, message: 'Invalid Sec-WebSocket-Protocol header' };
  return undefined;
}

/** The 101 answer to a request `handshakeRefusal` accepted. */
export function switchingProtocols(req: IncomingMessage): string {
  const key = req.headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
  const protocol = offeredProtocols(req.headers['sec-websocket-protocol'])?.[0];
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
