/**
 * The server's own WebSocket handshake and link, from a bare TCP client: the 101 and its refusals
 * (status and body, as `ws` answers them), frames sent in the handshake's packet, pings, the close
 * handshake both ways, a broken rule closing with its code, and a client that never answers a close.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFrame } from '../src/protocol/frame.js';
import { WebSocketLink, type LinkEvents } from '../src/socket/websocket-link.js';
import { clientFrame, closePayload, encodeClientFrame, wsReader } from '../../../test/helpers/ws-frames.js';
import { Inbox, withTimeout } from '../../../test/helpers/wait.js';
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
    ['one bad subprotocol among good ones', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'good, b@d' } }, 400, 'Invalid Sec-WebSocket-Protocol header'],
    ['a subprotocol offered twice', { headers: { ...UPGRADE_HEADERS, 'Sec-WebSocket-Protocol': 'pusher, pusher' } }, 400, 'Invalid Sec-WebSocket-Protocol header'],
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

  it('answers 60 pings sent at once, and a client that reads its pongs may go on pinging', async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(Buffer.concat(Array.from({ length: 60 }, () => masked(0x9, 'p'))));
    await wire.frame(60);
    for (let i = 61; i <= 70; i += 1) {
      wire.send(masked(0x9, 'p'));
      expect(await wire.frame(i)).toBe('pong 70');
    }
    wire.send(masked(0x1, PING_EVENT));
    expect(await wire.frame(71)).toBe('text {"event":"pusher:pong","data":"{}"}');
  });

  it('drops a client with 61 pings at once, without reading them as ws does', async () => {
    const wire = await open();
    await wire.frame(0);
    wire.send(Buffer.concat(Array.from({ length: 61 }, () => masked(0x9, 'p'))));
    await withTimeout(wire.ended, 5000, 'the pinging client to be dropped');
    expect(wire.frames.items.filter((f) => f === 'pong 70')).toHaveLength(60);
    expect(server?.embedded.stats().connections).toBe(0);
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

interface LinkPair {
  readonly link: WebSocketLink<string>;
  /** The client's end: raw TCP. */
  readonly client: Socket;
  /** What the client read, one line per frame (`wsReader`'s format). */
  readonly frames: Inbox<string>;
  /** What the link told its events, in order: `pong owner`, `closing`, `closed`, `error <message>`. */
  readonly told: Inbox<string>;
  /** Every byte the client received. */
  received(): Buffer;
  close(): void;
}

/** A link on the server's end of a real loopback TCP connection, its owner `owner`, with events that record. */
async function linkPair(closeTimeoutMs: number): Promise<LinkPair> {
  const told = new Inbox<string>();
  const events: LinkEvents<string> = {
    maxPayload: 1024,
    closeTimeoutMs,
    message: (owner, data) => told.push(`message ${owner} ${data.toString('utf8')}`),
    pong: (owner) => told.push(`pong ${owner}`),
    closing: () => told.push('closing'),
    closed: () => told.push('closed'),
    error: (_link, err) => told.push(`error ${err.message}`),
  };
  const tcp = createServer();
  tcp.listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  const accepted = once(tcp, 'connection') as Promise<[Socket]>;
  const client = connect((tcp.address() as AddressInfo).port, '127.0.0.1');
  const [socket] = await accepted;
  const link = new WebSocketLink<string>(socket, events);
  link.owner = 'owner';
  const frames = new Inbox<string>();
  const reader = wsReader({ isServer: false });
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    const before = reader.log.length;
    reader.push(chunk);
    for (const line of reader.log.slice(before)) frames.push(line);
  });
  client.on('error', () => {});
  const close = () => {
    client.destroy();
    tcp.close();
  };
  return { link, client, frames, told, close, received: () => Buffer.concat(chunks) };
}

describe('WebSocketLink on a real TCP connection', () => {
  it("destroys the socket when the client never answers the link's close, after the close timeout", async () => {
    const pair = await linkPair(50);
    try {
      pair.link.close(4000, 'going');
      expect(await pair.frames.at(0)).toBe('close 4000 going');
      expect(await pair.told.waitFor(2)).toEqual(['closing', 'closed']);
    } finally {
      pair.close();
    }
  });

  it('sends one close however often it is closed, answers no ping after it, and ends the TCP connection on the answer', async () => {
    const pair = await linkPair(60_000);
    try {
      pair.link.close(4000, 'going');
      pair.link.close(4001, 'again');
      await pair.frames.at(0);
      pair.client.write(Buffer.concat([masked(0x9, 'late'), masked(0x8, closePayload(4000))]));
      await withTimeout(once(pair.client, 'end'), 5000, 'the link to end the connection on the answer');
      expect(pair.received()).toEqual(closeFrame(4000, 'going'));
    } finally {
      pair.close();
    }
  });

  it("tells its owner of the client's pongs, and of socket and protocol errors", async () => {
    const pair = await linkPair(60_000);
    try {
      pair.client.write(Buffer.concat([masked(0xa, ''), masked(0x1, 'hi'), masked(0x1, 'x', { mask: undefined })]));
      expect(await pair.told.waitFor(4)).toEqual(['pong owner', 'message owner hi', 'closing', 'error websocket protocol error 1002: Invalid WebSocket frame: MASK must be set']);
      pair.client.resetAndDestroy();
      expect((await pair.told.at(4)).startsWith('error ')).toBe(true);
    } finally {
      pair.close();
    }
  });
});
