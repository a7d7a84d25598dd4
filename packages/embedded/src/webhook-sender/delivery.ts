/**
 * Sends webhooks one at a time, in the order they were queued (so in order per channel), retrying
 * a failed one with exponential backoff before moving on. The queue is bounded: when full, new
 * events are dropped and counted, never the ones already waiting.
 */
import type { AppCredentials, Logger } from '@pusher-auth-server/pusher-core';
import { type EmbeddedWebhookEvent, webhookRequest, type WebhookRequest } from './payload.js';
import type { Cancel, Scheduler } from './scheduler.js';

export interface DeliveryOptions {
  /** Attempts per webhook, the first included. */
  readonly maxAttempts: number;
  /** Wait before the first retry; doubled each time, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Each POST is abandoned (and counts as failed) after this long. */
  readonly timeoutMs: number;
  readonly maxQueue: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 5000,
  maxQueue: 1000,
};

interface Delivery {
  enqueue(event: EmbeddedWebhookEvent): void;
  /** Stops: pending retries are cancelled, an in-flight POST is aborted, the queue is dropped. */
  close(): void;
  stats(): DeliveryStats;
}

export interface DeliveryStats {
  /** Waiting or in flight. */
  readonly queued: number;
  readonly delivered: number;
  /** Given up after `maxAttempts`. */
  readonly failed: number;
  /** Refused because the queue was full. */
  readonly dropped: number;
}

function backoffDelay(options: DeliveryOptions, failedAttempts: number): number {
  return Math.min(options.baseDelayMs * 2 ** (failedAttempts - 1), options.maxDelayMs);
}

export type DeliveryOutcome = 'ok' | 'retry' | 'failed' | 'dropped';

interface DeliveryDeps {
  readonly url: string;
  readonly app: AppCredentials;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly options: DeliveryOptions;
  /** Told about every attempt's outcome (metrics). */
  readonly observe?: (outcome: DeliveryOutcome) => void;
}

export function createDelivery({ url, app, scheduler, logger, options, observe }: DeliveryDeps): Delivery {
  const queue: Array<{ request: WebhookRequest; name: string; attempts: number }> = [];
  const stats = { delivered: 0, failed: 0, dropped: 0 };
  let busy = false;
  let closed = false;
  let retryTimer: Cancel | undefined;
  const inFlight = new AbortController();

  const post = async (request: WebhookRequest): Promise<string | undefined> => {
    try {
      const signal = AbortSignal.any([inFlight.signal, AbortSignal.timeout(options.timeoutMs)]);
      const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal, redirect: 'manual' });
      await res.arrayBuffer(); // drain, so the connection can be reused
      return res.status >= 200 && res.status < 300 ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}` : 'request failed';
    }
  };

  const pump = async (): Promise<void> => {
    if (busy || closed) return;
    const head = queue[0];
    if (!head) return;
    busy = true;
    head.attempts += 1;
    const failure = await post(head.request);
    if (closed) return;
    if (failure === undefined || head.attempts >= options.maxAttempts) {
      queue.shift();
      observe?.(failure === undefined ? 'ok' : 'failed');
      if (failure === undefined) stats.delivered += 1;
      else {
        stats.failed += 1;
        logger.error({ webhook: head.name, attempts: head.attempts, failure }, 'webhook not delivered: giving up');
      }
      busy = false;
      void pump();
      return;
    }
    const delayMs = backoffDelay(options, head.attempts);
    observe?.('retry');
    logger.warn({ webhook: head.name, attempt: head.attempts, failure, retryInMs: delayMs }, 'webhook delivery failed: will retry');
    retryTimer = scheduler.schedule(delayMs, () => {
      retryTimer = undefined;
      busy = false;
      void pump();
    });
  };

  return {
    enqueue(event) {
      if (closed) return;
      if (queue.length >= options.maxQueue) {
        stats.dropped += 1;
        observe?.('dropped');
        logger.warn({ webhook: event.name, dropped: stats.dropped, maxQueue: options.maxQueue }, 'webhook queue full: event dropped');
        return;
      }
      queue.push({ request: webhookRequest(app, scheduler.now(), [event]), name: event.name, attempts: 0 });
      void pump();
    },
    close() {
      closed = true;
      retryTimer?.();
      inFlight.abort();
      queue.length = 0;
    },
    stats: () => ({ queued: queue.length, ...stats }),
  };
}
