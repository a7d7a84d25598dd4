/** Reads GET /console/decisions the way the console page does: fetch with the bearer header, a stream reader. */
import { Inbox } from '../helpers/wait.js';

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
          buffer += text;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const event = parseEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (event) events.push(event);
          }
        }
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      }
    })();
  }
  return { status: res.status, events, raw: () => raw, close: () => abort.abort() };
}
