// The demo page's token panel: when the token a connection was authorized with expires, the server
// closes it (4200) and pusher-js authorizes every channel again with the page's current token.
import { badge } from './dom.js';

/**
 * `node` is the panel's badge; `session()` the page's `{ token, expiresAt, lifetime, expired, user, pusher }`;
 * `login(userId, name, lifetime)` answers `{ status, body }` from POST /demo/login; `explain(error)` words a refusal.
 */
export function tokenPanel(node, session, login, explain) {
  const show = () => badge(node, 'ok', `valid until ${new Date(session().expiresAt * 1000).toLocaleTimeString('en-GB')}`);
  return {
    show,
    watch({ connection }) {
      connection.bind('error', ({ error }) => {
        if (error?.data?.code !== 4200 || !/expired/.test(error.data.message ?? '')) return; // 4200 also means a restart
        badge(node, 'wait', 'the server closed the connection (4200): its token expired; authorizing again…');
      });
    },
    /** What an authorization said about the token the page has now. */
    answered(status) {
      if (status === 401) {
        session().expired = true;
        badge(node, 'err', 'expired: channels are refused (401) until you refresh it');
      } else if (!session().expired) show();
    },
    async refresh() {
      const current = session();
      badge(node, 'wait', 'refreshing…');
      const { status, body } = await login(current.user.id, current.user.info?.name, current.lifetime);
      if (status !== 200) return badge(node, 'err', `refresh failed ${status}: ${explain(body.error)}`);
      Object.assign(current, { token: body.token, expiresAt: body.expires_at });
      show();
      if (!current.expired) return; // the connection closes when the old token expires, then carries on
      current.expired = false;
      current.pusher.disconnect(); // authorize every channel again now: pusher-js subscribes them all on connect
      current.pusher.connect();
    },
  };
}
