/**
 * Sends the requests the `pusher` SDK builds and signs, in place of the SDK's own fetch, for two
 * reasons: the SDK reads an answer in full whatever its size (a 21 MB refusal cost 23 MB per
 * request), and it stops its timer once the headers arrive and cannot tell "never sent" from "sent,
 * then no answer". Here one deadline covers the whole exchange, at most ANSWER_MAX_BYTES of the
 * answer are read, and a failure says whether the request had left.
 */
import { type Agent, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type Pusher from 'pusher';
import { readCappedChunks } from '@pusher-auth-server/channel-auth/http';

/** Pusher's answers are a few bytes; a refusal's text is clipped to 500 characters anyway. */
export const ANSWER_MAX_BYTES = 64 * 1024;

/** What the Pusher service answered: `body` is undefined when it was over ANSWER_MAX_BYTES (not read). */
export interface UpstreamAnswer {
  readonly status: number;
  readonly body: string | undefined;
}

/**
 * A request that got no complete answer. `sent`: the request had been handed to the network in
 * full, so the service may have acted on it; otherwise it certainly did not.
 */
export class NoAnswer extends Error {
  constructor(
    readonly sent: boolean,
    /** `timeout`, or the socket error's code (ECONNRESET, ECONNREFUSED, ...). */
    readonly failure: string,
    /** The status, when the answer's head arrived but its body did not. */
    readonly status?: number,
  ) {
    super(`no answer from the Pusher service: ${failure}`);
    this.name = 'NoAnswer';
  }
}

/** The SDK's own view of where it sends (untyped in its .d.ts; present since pusher 1.x). */
interface SdkConfig {
  getBaseURL(): string;
  prefixPath(path: string): string;
}

export interface SignedPostOptions {
  readonly agent: Agent;
  readonly timeoutMs: number;
}

/** Makes `sdk.post` (which trigger, triggerBatch, sendToUser and terminate all call) go through `signedPost`. */
export function routeSdkPosts(sdk: Pusher, options: SignedPostOptions): void {
  const config = (sdk as unknown as { config: SdkConfig }).config;
  const post = ({ path, body }: { path: string; body: unknown }) => {
    const fullPath = config.prefixPath(path);
    const text = JSON.stringify(body);
    const query = sdk.createSignedQueryString({ method: 'POST', path: fullPath, body: text });
    return signedPost(new URL(`${config.getBaseURL()}${fullPath}?${query}`), text, options);
  };
  Object.assign(sdk, { post });
}

function signedPost(url: URL, body: string, { agent, timeoutMs }: SignedPostOptions): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    let sent = false;
    let status: number | undefined;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-pusher-library': 'pusher-auth-server' },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true; // whatever error the destroyed socket then reports (a half-read answer: ECONNRESET)
      request.destroy(new Error('timeout'));
    }, timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      const cause = timedOut ? 'timeout' : String((err as { code?: unknown }).code ?? 'network error');
      reject(new NoAnswer(sent, cause, status));
    };
    request.on('finish', () => (sent = true));
    request.on('error', fail);
    request.on('response', (response: IncomingMessage) => {
      status = response.statusCode ?? 0;
      readAnswer(response).then((text) => {
        clearTimeout(timer);
        resolve({ status: status ?? 0, body: text });
      }, fail);
    });
    request.end(body);
  });
}

async function readAnswer(response: IncomingMessage): Promise<string | undefined> {
  if (Number(response.headers['content-length'] ?? 0) > ANSWER_MAX_BYTES) {
    response.destroy(); // the socket goes with it: nothing more is received
    return undefined;
  }
  return readCappedChunks(response, ANSWER_MAX_BYTES);
}
