/**
 * The channel policy (docs/design.md#channel-policy, src/channels.ts) restated independently, for users whose
 * tokens carry no `channels` claim: who may be handed a signature for which channel.
 */
const NAME = /^[A-Za-z0-9_\-=@,.;]{1,164}$/;

export function mayJoin(userId: string, channel: string): boolean {
  if (!NAME.test(channel)) return false;
  if (channel === `private-user-${userId}` || channel === `private-encrypted-user-${userId}`) return true;
  if (channel === 'private-room-1') return userId === '1' || userId === '2'; // the demo's seeded room data
  return channel.startsWith('presence-') && channel.length > 'presence-'.length;
}

/** The channel names and socket ids a body asks for, read the way the contract says (form or JSON). */
export function requested(body: string, contentType: string | undefined): { socketId: unknown; channels: unknown[] } {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === 'object' && parsed !== null) {
        const record = parsed as Record<string, unknown>;
        return { socketId: record.socket_id, channels: [record.channel_name, ...batchValues(record)] };
      }
    } catch {
      // not JSON: nothing requested
    }
    return { socketId: undefined, channels: [] };
  }
  const form = Object.fromEntries(new URLSearchParams(body));
  return { socketId: form.socket_id, channels: [form.channel_name, ...batchValues(form)] };
}

function batchValues(record: Record<string, unknown>): unknown[] {
  return Object.keys(record)
    .filter((key) => /^channel_name\[\d+\]$/.test(key))
    .map((key) => record[key]);
}
