/** Reads GET /console/decisions the way the console page does: fetch with the bearer header, a stream reader. */
import { Inbox } from './wait.js';

export interface StreamEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

export interface DecisionStream {
  readonly status: number;
  readonly events: Inbox<StreamEvent>;
  /** Every byte received, as text: for asserting what never appears. */
  readonly raw: () => string;
  /** Resolves with the number of events up to and including the `replayed` marker. */
  replayed(): Promise<number>;
  close(): void;
}

export function parseEvent(block: string): StreamEvent | undefined {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  const data = fields.get('data');
  if (data === undefined) return undefined;
  return { event: fields.get('event') ?? 'message', id: fields.get('id'), data: JSON.parse(data) };
}

export async function openDecisions(baseUrl: string, token: string): Promise<DecisionStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/console/decisions`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const events = new Inbox<StreamEvent>();
  let raw = '';
  if (res.status === 200 && res.body) {
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          const text = decoder.decode(chunk, { stream: true });
          raw += text;
          const blocks = (buffer + text).split('\n\n');
          buffer = blocks.pop() ?? '';
          for (const block of blocks) {
            const event = parseEvent(block);
            if (event) events.push(event);
          }
        }
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      }
    })();
  }
  const replayed = async () => {
    for (let n = 1; ; n += 1) {
      const event = await events.at(n - 1, 5000, 'the replay');
      if (event.event === 'replayed') return n;
    }
  };
  return { status: res.status, events, raw: () => raw, replayed, close: () => abort.abort() };
}
