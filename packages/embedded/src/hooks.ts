/**
 * Observer callbacks for webhooks and metrics. They are told what happened, synchronously and in
 * order; debouncing (vacated/removed), signing and sending belong to whoever listens.
 */
import type { Logger } from '@pusher-auth-server/pusher-core';

export interface ClientEventInfo {
  readonly channel: string;
  readonly event: string;
  /** The data string other subscribers received. */
  readonly data: string;
  readonly socketId: string;
  /** Set on presence channels. */
  readonly userId?: string;
}

export interface EmbeddedHooks {
  onConnectionOpened?(socketId: string): void;
  onConnectionClosed?(socketId: string): void;
  /** `#server-to-user-` channels are Pusher's own and are not reported. */
  onChannelOccupied?(channel: string): void;
  onChannelVacated?(channel: string): void;
  onMemberAdded?(channel: string, userId: string): void;
  onMemberRemoved?(channel: string, userId: string): void;
  onClientEvent?(event: ClientEventInfo): void;
  /** One inbound WebSocket message. */
  onMessageIn?(): void;
  /** `count` outbound WebSocket messages (a publish counts once per recipient). */
  onMessageOut?(count: number): void;
  /** One HTTP API request answered. */
  onApiRequest?(info: { method: string; route: string; status: number }): void;
  /** A connection closed with 4100 because its client left more than the cap unread (before its `onConnectionClosed`). */
  onSlowConsumerClosed?(socketId: string, bufferedBytes: number): void;
}

export type SafeHooks = Required<EmbeddedHooks>;

const HOOK_NAMES = [
  'onConnectionOpened',
  'onConnectionClosed',
  'onChannelOccupied',
  'onChannelVacated',
  'onMemberAdded',
  'onMemberRemoved',
  'onClientEvent',
  'onMessageIn',
  'onMessageOut',
  'onApiRequest',
  'onSlowConsumerClosed',
] as const satisfies ReadonlyArray<keyof EmbeddedHooks>;

/**
 * Every hook present and unable to break the server: a throwing hook is logged, never rethrown.
 * Several observers (metrics, webhooks) may be given as an array; each is called in order.
 */
export function safeHooks(hooks: EmbeddedHooks | readonly EmbeddedHooks[] | undefined, logger: Logger): SafeHooks {
  const observers: readonly EmbeddedHooks[] = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks as EmbeddedHooks];
  const safe: Partial<Record<keyof EmbeddedHooks, (...args: unknown[]) => void>> = {};
  for (const name of HOOK_NAMES) {
    const listeners = observers.flatMap((observer) => {
      const hook = observer[name] as ((...args: unknown[]) => void) | undefined;
      return hook ? [{ observer, hook }] : [];
    });
    safe[name] = (...args: unknown[]) => {
      for (const { observer, hook } of listeners) {
        try {
          hook.apply(observer, args);
        } catch (err) {
          logger.error({ err, hook: name }, 'embedded server hook threw');
        }
      }
    };
  }
  return safe as SafeHooks;
}
