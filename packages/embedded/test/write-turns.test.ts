/**
 * WriteTurns on a real TCP connection: a socket's second and later writes in one turn of the event
 * loop are held and go out together when the turn's I/O is done, in the order they were written
 * (anything else written to the socket meanwhile included), and never more than the flush size
 * is held.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { flushBytesFor, FLUSH_BYTES, type TurnWriter, WriteTurns } from '../src/socket/write-turns.js';

interface Pair {
  readonly server: net.Socket;
  readonly client: net.Socket;
  /** Everything the client has read so far. */
  readonly received: () => string;
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function tcpPair(): Promise<Pair> {
  const listener = net.createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as net.AddressInfo;
  const accepted = once(listener, 'connection') as Promise<[net.Socket]>;
  const client = net.connect(port, '127.0.0.1');
  const [server] = await accepted;
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => chunks.push(chunk));
  closers.push(() => {
    client.destroy();
    server.destroy();
    listener.close();
  });
  return { server, client, received: () => Buffer.concat(chunks).toString('utf8') };
}

const writer = (): TurnWriter => ({ lastWriteTurn: 0, corkedBytes: 0 });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function receivedAtLeast(pair: Pair, length: number): Promise<string> {
  while (pair.received().length < length) await once(pair.client, 'data');
  return pair.received();
}

describe('WriteTurns', () => {
  it('sends the first write of a turn at once and holds the later ones until the turn ends, in order', async () => {
    const pair = await tcpPair();
    const turns = new WriteTurns(FLUSH_BYTES);
    const one = writer();

    turns.write(one, pair.server, Buffer.from('a'));
    expect([pair.server.writableCorked, pair.server.writableLength]).toEqual([0, 0]);
    turns.write(one, pair.server, Buffer.from('b'));
    pair.server.write('c'); // e.g. a close frame from `ws`: behind what was written before it
    turns.write(one, pair.server, Buffer.from('d'));
    expect([pair.server.writableCorked, pair.server.writableLength]).toEqual([1, 3]);

    await nextTurn();
    expect(pair.server.writableCorked).toBe(0);
    expect(await receivedAtLeast(pair, 4)).toBe('abcd');
  });

  it('holds nothing for a socket written once per turn, as a publish to many sockets does', async () => {
    const [first, second] = [await tcpPair(), await tcpPair()];
    const turns = new WriteTurns(FLUSH_BYTES);
    const writers = [writer(), writer()];
    for (let turn = 0; turn < 3; turn += 1) {
      turns.write(writers[0] as TurnWriter, first.server, Buffer.from(String(turn)));
      turns.write(writers[1] as TurnWriter, second.server, Buffer.from(String(turn)));
      expect([first.server.writableCorked, second.server.writableCorked]).toEqual([0, 0]);
      await nextTurn();
    }
    expect([await receivedAtLeast(first, 3), await receivedAtLeast(second, 3)]).toEqual(['012', '012']);
  });

  it('flushes at once when the held bytes reach the flush size, never holding more', async () => {
    const pair = await tcpPair();
    const flushBytes = 1000;
    const turns = new WriteTurns(flushBytes);
    const one = writer();
    turns.write(one, pair.server, Buffer.alloc(10, 'x'));
    let mostHeld = 0;
    for (let i = 0; i < 25; i += 1) {
      turns.write(one, pair.server, Buffer.alloc(100, 'y'));
      mostHeld = Math.max(mostHeld, one.corkedBytes);
    }
    expect(mostHeld).toBe(flushBytes - 100);
    expect(one.corkedBytes).toBe(500); // 2,500 written after the first: two flushes of 1,000, 500 held
    await nextTurn();
    expect(one.corkedBytes).toBe(0);
    expect((await receivedAtLeast(pair, 2510)).length).toBe(2510);
  });

  it('never holds more than the slow-consumer cap, so a reader that keeps up never looks slow', () => {
    expect(flushBytesFor(0)).toBe(FLUSH_BYTES);
    expect(flushBytesFor(4096)).toBe(4096);
    expect(flushBytesFor(1024 * 1024)).toBe(FLUSH_BYTES);
  });
});
