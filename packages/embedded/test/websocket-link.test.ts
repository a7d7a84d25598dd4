/**
 * The server's own WebSocket handshake and link, from a bare TCP client: the 101 and its refusals
 * (status and body, as `ws` answers them), frames sent in the handshake's packet, pings, the close
 * handshake both ways, a broken rule closing with its code, and a client that never answers a close.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketLink, type LinkEvents } from '../src/socket/websocket-link.js';
import { clientFrame, closePayload, encodeClientFrame } from '../../../test/helpers/ws-frames.js';
import { withTimeout } from '../../../test/helpers/wait.js';
import { startEmbedded, type RunningEmbedded } from './helpers.js';
import { RawWire, SAMPLE_ACCEPT, UPGRADE_HEADERS } from '../../../test/helpers/raw-wire.js';

let server: RunningEmbedded | undefined;
const wires: RawWire[] = [];
afterEach(async () => {
  for (const wire of wires.splice(0)) wire.socket.destroy();
  await server?.close();
  server = undefined;
});

async function open(options: Parameters<typeof RawWire.open>[2] = {}): Promise<RawWire> {
  server ??= await startEmbedded();
  const wire = await RawWire.open(server.port, `/app/${server.app.key}?protocol=7`, options);
  wires.push(wire);
  return wire;
}

const PING_EVENT = '{"event":"pusher:ping","data":{}}';
const masked = (opcode: number, payload: Buffer | string, overrides = {}) => encodeClientFrame(clientFrame(opcode, payload, overrides));

describe('the handshake', () => {
  it('answers 101 with the key digest, then sends connection_established', async () => {
    const wire = await open();
    expect(wire.status).toBe(101);
    expect(wire.header('Sec-WebSocket-Accept')).toBe(SAMPLE_ACCEPT);
    expect(wire.header('Upgrade')).toBe('websocket');
    expect(await wire.frame(0)).toMatch(/^text \{"event":"pusher:connection_established"/);
  });

  it('echoes the first subprotocol offered, and accepts version 8 as ws does', async () => {
    const wire = await open({ headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'pusher, other', 'Sec-WebSocket-Version': '8' } });
    expect(wire.status).toBe(101);
    expect(wire.header('Sec-WebSocket-Protocol')).toBe('pusher');
  });

  it.each([
    ['a POST', { method: 'POST' }, 405, 'Invalid HTTP method'],
    ['another upgrade', { headers: { ...UPGRADE_HEADERS, Upgrade: 'h2c' } }, 400, 'Invalid Upgrade header'],
    ['a key that is not 16 bytes of base64', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Key': 'c2hvcnQ=' } }, 400, 'Missing or invalid Sec-WebSocket-Key header'],
    ['version 12', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Version': '12' } }, 400, 'Missing or invalid Sec-WebSocket-Version header'],
    ['a malformed subprotocol list', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'a b' } }, 400, 'Invalid Sec-WebSocket-Protocol header'],
  ])('refuses %s with an HTTP error and its reason', async (_name, options, status, message) => {
    const wire = await open(options);
    await withTimeout(wire.ended, 5000, 'the refused socket to close');
    expect([wire.status, wire.body]).toEqual([status, message]);
    if (status === 400 && message.includes('Version')) expect(wire.header('Sec-WebSocket-Version')).toBe('13, 8');
    expect(server?.embedded.stats().connections).toBe(0);
  });
});

describe('the link', () => {
  it('reads frames sent in the same packet as the handshake, after connection_established', async () => {
    const wire = await open({ extra: masked(0x1, PING_EVENT) });
    expect(await wire.frame(0)).toMatch(/^text \{"event":"pusher:connection_established"/);
    expect(await wire.frame(1)).toBe('text {"event":"pusher:pong","data":"{}"}');
  });

  it('answers a ping with a pong carrying its payload, and reads a message sent in fragments', async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(Buffer.concat([masked(0x1, PING_EVENT.slice(0, 10), { fin: false }), masked(0x9, 'abc'), masked(0x0, PING_EVENT.slice(10))]));
    expect([await wire.frame(1), await wire.frame(2)]).toEqual(['pong 616263', 'text {"event":"pusher:pong","data":"{}"}']);
  });

  it("answers the client's close with the same code and reason, then ends the TCP connection", async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(masked(0x8, closePayload(1000, 'bye')));
    expect(await wire.frame(1)).toBe('close 1000 bye');
    await withTimeout(wire.ended, 5000, 'the server to end the connection');
    expect(server?.embedded.stats().connections).toBe(0);
  });

  it('answers a close without a code with an empty close', async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(masked(0x8, ''));
    expect(await wire.frame(1)).toBe('close 1005 ');
  });

  it('closes with 1002 on an unmasked frame, forgets the connection and reads nothing more', async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(Buffer.concat([masked(0x1, PING_EVENT, { mask: undefined }), masked(0x1, PING_EVENT)]));
    expect(await wire.frame(1)).toBe('close 1002 ');
    expect(server?.embedded.stats().connections).toBe(0);
    wire.socket.end();
    await withTimeout(wire.ended, 5000, 'the connection to end');
    expect(wire.frames.items).toHaveLength(2);
  });
});

describe('a link whose client never answers its close', () => {
  it('has its TCP socket destroyed after the close timeout', async () => {
    const closed: string[] = [];
    let linkClosed = () => {};
    const destroyed = new Promise<void>((resolve) => (linkClosed = resolve));
    const events: LinkEvents<string> = {
      maxPayload: 1024,
      closeTimeoutMs: 50,
      message: () => {},
      pong: () => {},
      closing: () => closed.push('closing'),
      closed: () => {
        closed.push('closed');
        linkClosed();
      },
      error: () => {},
    };
    const tcp = createServer((socket: Socket) => new WebSocketLink<string>(socket, events).close(4000, 'going'));
    tcp.listen(0, '127.0.0.1');
    await once(tcp, 'listening');
    const client = connect((tcp.address() as AddressInfo).port, '127.0.0.1');
    client.resume(); // reads the close frame, never answers it
    try {
      await withTimeout(Promise.all([destroyed, once(client, 'close')]), 5000, 'the server to destroy the socket');
      expect(closed).toEqual(['closing', 'closed']);
    } finally {
      client.destroy();
      tcp.close();
    }
  });
});
