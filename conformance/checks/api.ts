/** The HTTP API: queries, request verification and limits. */
import type { Check } from '../check.js';
import { sameJson, show } from '../check.js';
import type { Kit } from '../kit.js';
import { CheckFailure, expect } from '../wait.js';

async function getJson(kit: Kit, path: string, params?: Record<string, string>): Promise<unknown> {
  const res = await kit.sdk.get(params ? { path, params } : { path });
  return res.json();
}

/** The status of the SDK's RequestError, or a failure when the request succeeded. */
async function rejectionStatus(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
  } catch (err) {
    return (err as { status?: number }).status;
  }
  throw new CheckFailure('the request was accepted');
}

export const apiChecks: Check[] = [
  {
    name: 'GET /channels lists occupied channels, with user_count for presence-',
    async run(kit) {
      const client = await kit.connect({ userId: kit.name('user-') });
      const [pub, presence] = [kit.name(''), kit.name('presence-')];
      await Promise.all([client.subscribe(pub), client.subscribePresence(presence)]);
      const all = (await getJson(kit, '/channels')) as { channels?: Record<string, unknown> };
      expect(all.channels !== undefined && pub in all.channels && presence in all.channels, `channels ${show(all)}`);
      const filtered = (await getJson(kit, '/channels', { filter_by_prefix: 'presence-', info: 'user_count' })) as {
        channels?: Record<string, unknown>;
      };
      const listed = filtered.channels ?? {};
      expect(sameJson(listed[presence], { user_count: 1 }), `presence entry ${show(listed[presence])}`);
      expect(!(pub in listed), 'filter_by_prefix let a public channel through');
    },
  },
  {
    name: 'GET /channels/:name reports occupied and counts',
    async run(kit) {
      const [first, second] = await Promise.all([kit.connect(), kit.connect()]);
      const name = kit.name('');
      await Promise.all([first.subscribe(name), second.subscribe(name)]);
      const info = await getJson(kit, `/channels/${name}`, { info: 'subscription_count' });
      expect(sameJson(info, { occupied: true, subscription_count: 2 }), `channel info ${show(info)}`);
      const empty = (await getJson(kit, `/channels/${kit.name('')}`)) as { occupied?: unknown };
      expect(empty.occupied === false, `unused channel ${show(empty)}`);
    },
  },
  {
    name: 'wrong secret is rejected with 401',
    async run(kit) {
      const status = await rejectionStatus(kit.forgingSdk.trigger(kit.name(''), 'conformance-event', {}));
      expect(status === 401, `status ${show(status)}`);
    },
  },
  {
    name: 'stale auth_timestamp (over 600 s old) is rejected with 401',
    async run(kit) {
      const body = JSON.stringify({ name: 'conformance-event', channels: [kit.name('')], data: '{}' });
      const res = await kit.signedRequest({ method: 'POST', path: '/events', body, timestampSeconds: Math.floor(Date.now() / 1000) - 3600 });
      expect(res.status === 401, `status ${res.status}: ${res.body}`);
    },
  },
  {
    name: 'body_md5 that does not match the body is rejected with 401',
    async run(kit) {
      const body = JSON.stringify({ name: 'conformance-event', channels: [kit.name('')], data: '{}' });
      const res = await kit.signedRequest({ method: 'POST', path: '/events', body, bodyMd5For: `${body} ` });
      expect(res.status === 401, `status ${res.status}: ${res.body}`);
    },
  },
  {
    name: 'event data of 10,240 bytes is accepted, one byte more is rejected with 413',
    async run(kit) {
      const channel = kit.name('');
      await kit.sdk.trigger(channel, 'conformance-event', 'x'.repeat(10_240));
      const status = await rejectionStatus(kit.sdk.trigger(channel, 'conformance-event', 'x'.repeat(10_241)));
      expect(status === 413, `status ${show(status)}`);
    },
  },
];
