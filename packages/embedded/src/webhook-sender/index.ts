/**
 * The embedded server's webhook sender (docs/design.md#embedded-server, docs/protocol.md#webhooks): pass `hooks` to
 * `createEmbeddedServer`, call `close()` on shutdown.
 */
import type { AppCredentials, Logger } from '@pusher-auth-server/pusher-core';
import { createDebouncer, DEBOUNCE_MS, type WebhookHooks } from './debounce.js';
import { createDelivery, DEFAULT_DELIVERY, type DeliveryOptions, type DeliveryOutcome, type DeliveryStats } from './delivery.js';
import { type Scheduler, systemScheduler } from './scheduler.js';

export type { Cancel, Scheduler } from './scheduler.js';
export type { DeliveryOptions, DeliveryOutcome, DeliveryStats } from './delivery.js';

export interface WebhookSenderOptions {
  readonly url: string;
  readonly app: AppCredentials;
  readonly logger: Logger;
  readonly scheduler?: Scheduler;
  readonly debounceMs?: number;
  readonly delivery?: Partial<DeliveryOptions>;
  /** Told about every delivery attempt's outcome (metrics). */
  readonly observe?: (outcome: DeliveryOutcome) => void;
}

export interface WebhookSender {
  readonly hooks: WebhookHooks;
  /** `debouncing`: vacated/removed events still inside their 3 s window. */
  stats(): DeliveryStats & { readonly debouncing: number };
  close(): void;
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const scheduler = options.scheduler ?? systemScheduler;
  const logger = options.logger.child({ component: 'webhook-sender' });
  const delivery = createDelivery({
    url: options.url,
    app: options.app,
    scheduler,
    logger,
    options: { ...DEFAULT_DELIVERY, ...options.delivery },
    ...(options.observe ? { observe: options.observe } : {}),
  });
  const debouncer = createDebouncer(scheduler, (event) => delivery.enqueue(event), options.debounceMs ?? DEBOUNCE_MS);
  const { onChannelOccupied, onChannelVacated, onMemberAdded, onMemberRemoved, onClientEvent } = debouncer;
  return {
    hooks: { onChannelOccupied, onChannelVacated, onMemberAdded, onMemberRemoved, onClientEvent },
    stats: () => ({ ...delivery.stats(), debouncing: debouncer.pendingCount }),
    close() {
      debouncer.cancelAll();
      delivery.close();
    },
  };
}
