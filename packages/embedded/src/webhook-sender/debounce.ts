/**
 * Turns the embedded server's hooks into webhook events the way Pusher does: channel_vacated and
 * member_removed wait DEBOUNCE_MS; a re-occupy or re-add in that window cancels the pending one
 * AND suppresses its own event, so a quick reconnect (a page reload) sends nothing at all.
 */
import type { EmbeddedHooks } from '../hooks.js';
import type { EmbeddedWebhookEvent } from './payload.js';
import type { Cancel, Scheduler } from './scheduler.js';

export const DEBOUNCE_MS = 3000;

export type WebhookHooks = Required<
  Pick<EmbeddedHooks, 'onChannelOccupied' | 'onChannelVacated' | 'onMemberAdded' | 'onMemberRemoved' | 'onClientEvent'>
>;

export interface Debouncer extends WebhookHooks {
  /** Drops whatever is still waiting. */
  cancelAll(): void;
  readonly pendingCount: number;
}

export function createDebouncer(scheduler: Scheduler, emit: (event: EmbeddedWebhookEvent) => void, delayMs = DEBOUNCE_MS): Debouncer {
  const pending = new Map<string, Cancel>();
  const channelKey = (channel: string) => `channel\u0000${channel}`;
  const memberKey = (channel: string, userId: string) => `member\u0000${channel}\u0000${userId}`;

  /** A come-back within the window: cancel the pending leave and report nothing. */
  const cameBack = (key: string): boolean => {
    const cancel = pending.get(key);
    if (!cancel) return false;
    cancel();
    pending.delete(key);
    return true;
  };
  const leaveLater = (key: string, event: EmbeddedWebhookEvent): void => {
    pending.get(key)?.();
    pending.set(
      key,
      scheduler.schedule(delayMs, () => {
        pending.delete(key);
        emit(event);
      }),
    );
  };

  return {
    onChannelOccupied(channel) {
      if (!cameBack(channelKey(channel))) emit({ name: 'channel_occupied', channel });
    },
    onChannelVacated(channel) {
      leaveLater(channelKey(channel), { name: 'channel_vacated', channel });
    },
    onMemberAdded(channel, userId) {
      if (!cameBack(memberKey(channel, userId))) emit({ name: 'member_added', channel, user_id: userId });
    },
    onMemberRemoved(channel, userId) {
      leaveLater(memberKey(channel, userId), { name: 'member_removed', channel, user_id: userId });
    },
    onClientEvent({ channel, event, data, socketId, userId }) {
      emit({
        name: 'client_event',
        channel,
        event,
        data,
        socket_id: socketId,
        ...(userId === undefined ? {} : { user_id: userId }),
      });
    },
    cancelAll() {
      for (const cancel of pending.values()) cancel();
      pending.clear();
    },
    get pendingCount() {
      return pending.size;
    },
  };
}
