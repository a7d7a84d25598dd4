/**
 * The console's decision stream as a bench load: one reader on GET /console/decisions
 * (text/event-stream, `Authorization: Bearer <CONSOLE_TOKEN>`) attached while a run lasts, so
 * the auth figures include what streaming each decision costs. Where the route does not exist
 * yet (404), the reader reports itself as not available and the run goes on without it.
 */
export type ConsoleReader =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; detach(): Promise<{ readonly events: number }> };

const CONNECT_TIMEOUT_MS = 5000;

export type AttachConsole = (baseUrl: string) => Promise<ConsoleReader>;

export function consoleReader(token: string): AttachConsole {
  return async (baseUrl) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), CONNECT_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/console/decisions`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return { available: false, reason: 'GET /console/decisions answered 404' };
    }
    if (response.status !== 200 || !response.body) throw new Error(`console reader: GET /console/decisions answered ${response.status}`);
    const reader = response.body.getReader();
    let events = 0;
    let tail = '';
    const decoder = new TextDecoder();
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        // An SSE event ends with a blank line; the separator may straddle two chunks.
        const text = tail + decoder.decode(value, { stream: true });
        events += text.split('\n\n').length - 1;
        tail = text.endsWith('\n') && !text.endsWith('\n\n') ? '\n' : '';
      }
    })().catch(() => undefined); // ends with the abort below
    return {
      available: true,
      async detach() {
        controller.abort();
        await reading;
        return { events };
      },
    };
  };
}
