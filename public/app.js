// The demo page: one ES module, no build step. pusher-js (with-encryption build) is loaded before it.
/* global Pusher */
import { badge, el } from './dom.js';
import { tokenPanel } from './token.js';

// --- Use it from your frontend: docs/frontend.md quotes this block verbatim (test/browser/frontend-snippet.test.ts) ---
const options = await fetch('/pusher/config').then((res) => res.json());

/**
 * pusher-js with the server's options; the user's bearer token authorizes channels and sign-in.
 * `token()` is read at every authorization: when a token expires the server closes the connection
 * (4200), and pusher-js reconnects and authorizes every channel again with the token you have now.
 */
function connect(token) {
  const headersProvider = () => ({ Authorization: `Bearer ${token()}` });
  const pusher = new Pusher(options.key, {
    ...options,
    channelAuthorization: { ...options.channelAuthorization, headersProvider },
    userAuthentication: { ...options.userAuthentication, headersProvider },
  });
  pusher.signin(); // lets the server reach this user on #server-to-user-<id>
  reconnectWhenTerminated(pusher);
  return pusher;
}

/**
 * POST /users/:userId/terminate closes this user's connections with 4009, and pusher-js stays
 * disconnected after any 40xx close: connect again, and every channel is authorized again.
 */
function reconnectWhenTerminated(pusher) {
  let terminated = false;
  pusher.connection.bind('error', (err) => {
    terminated = err.error?.data?.code === 4009; // the close, reported just before 'disconnected'
  });
  pusher.connection.bind('disconnected', () => {
    if (!terminated) return;
    terminated = false;
    pusher.connect();
  });
}

// const pusher = connect(() => currentToken);
// pusher.subscribe(`private-user-${userId}`).bind('private-event', (data) => show(data));
// pusher.user.bind('notice', (data) => show(data)); // events the server sends to this user
// --- end of the README block ---

const $ = (id) => document.getElementById(id);
const STATE_TONES = { connected: 'ok', connecting: 'wait', initialized: 'wait', unavailable: 'err', failed: 'err' };
const MAX_LOG_ROWS = 200;
let session; // { token, expiresAt, lifetime, expired, user, pusher }

async function requestJson(method, url, body, token) {
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  try {
    const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  } catch {
    return { status: 0, body: { error: { message: 'the server did not answer' } } };
  }
}

const postJson = (url, body, token) => requestJson('POST', url, body, token);

/** The server's own words for a refusal: AUTH_EXPLAIN's reason (and rule), else the message. */
function explain(error) {
  return error?.details?.reason ?? error?.message ?? 'the server gave no reason';
}

function explainWithRule(error) {
  const rule = error?.details?.rule;
  return rule ? [`${explain(error)} · rule `, el('code', '', rule)] : [explain(error)];
}

// --- Channels: a row per channel with its status --------------------------------------------
function channelRow(list, name) {
  const existing = list.querySelector(`li[data-channel="${CSS.escape(name)}"]`);
  if (existing) return existing;
  const row = el('li', '', el('code', '', name), el('span', 'badge'), el('p', 'reason'));
  row.dataset.channel = name;
  list.append(row);
  return row;
}

function setStatus(row, tone, text, ...reason) {
  badge(row.querySelector('.badge'), tone, text);
  row.querySelector('.reason').replaceChildren(...reason);
}

/** pusher-js reports only the status of a refusal; ask the auth endpoint once more for its reason. */
async function refusalReason(name) {
  const res = await fetch(options.channelAuthorization.endpoint, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}` },
    body: new URLSearchParams({ socket_id: session.pusher.connection.socket_id, channel_name: name }),
  });
  const body = await res.json().catch(() => ({}));
  return explainWithRule(body.error);
}

function track(list, name) {
  const row = channelRow(list, name);
  setStatus(row, 'wait', 'subscribing…');
  const channel = session.pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () => {
    setStatus(row, 'ok', 'subscribed');
    tokenState.answered(200);
  });
  channel.bind('pusher:subscription_error', async ({ status, error }) => {
    tokenState.answered(status);
    setStatus(row, 'err', status ? `refused ${status}` : 'refused', status ? 'asking the server why…' : (error ?? ''));
    if (status) setStatus(row, 'err', `refused ${status}`, ...(await refusalReason(name)));
  });
  channel.bind_global((event, data) => event.startsWith('pusher:') || log(name, event, data));
  return channel;
}

// --- Panels ---------------------------------------------------------------------------------------
function watchConnection({ connection }) {
  $('conn-host').textContent = `${options.forceTLS ? 'wss' : 'ws'}://${options.wsHost}:${options.wsPort}`;
  $('conn-mode').textContent = options.mode;
  connection.bind('state_change', ({ current }) => {
    badge($('conn-state'), STATE_TONES[current] ?? 'off', current);
    $('conn-socket').textContent = connection.socket_id ?? '–';
  });
  // A close with a code (4009 after a terminate) is reported as an error wrapping it.
  connection.bind('error', ({ error }) => error?.data?.code && log('connection', 'closed', error.data));
}

// --- Room 1: a channel decided from the app's data (src/demo/rooms.ts) ----------------------------
const ROOM = 'private-room-1';

async function changeMembership(method) {
  const removing = method === 'DELETE';
  const result = badge($('room-result'), 'wait', removing ? 'removing…' : 'adding…');
  const url = `/demo/rooms/1/members/${encodeURIComponent(session.user.id)}`;
  const { status, body } = await requestJson(method, url, undefined, session.token);
  if (status !== 200) return badge(result, 'err', `failed ${status}: ${explain(body.error)}`);
  if (removing) return badge(result, 'ok', 'removed: the server closes your connection (4009)');
  badge(result, 'ok', 'added back');
  if (session.pusher.channel(ROOM)?.subscribed) return;
  session.pusher.unsubscribe(ROOM); // a fresh attempt, with fresh bindings
  track($('room'), ROOM);
}

function watchSignin(pusher, userId) {
  const row = channelRow($('mine'), `#server-to-user-${userId}`);
  setStatus(row, 'wait', 'signing in…');
  pusher.connection.bind('message', ({ event }) => event === 'pusher:signin_success' && setStatus(row, 'ok', 'signed in'));
  pusher.user.bind('pusher:signin_error', ({ status, error }) => setStatus(row, 'err', `refused ${status ?? ''}`.trim(), error ?? ''));
  pusher.user.bind_global((event, data) => event.startsWith('pusher:') || log(row.dataset.channel, event, data));
}

function watchPresence(channel) {
  const label = ({ id, info }) => (info?.name ? `${info.name} (${id})` : id);
  const render = () => {
    const items = [];
    channel.members.each((member) => {
      const you = member.id === channel.members.myID ? el('span', 'badge you', 'you') : '';
      items.push(Object.assign(el('li', '', label(member), you), { title: `user id ${member.id}` }));
    });
    $('members').replaceChildren(...items);
    $('presence-count').textContent = `${channel.members.count} online`;
  };
  const changed = (verb, event) => (member) => {
    render();
    $('activity').prepend(el('li', verb, `${time()} ${label(member)} ${verb}`));
    log(channel.name, event, member);
  };
  channel.bind('pusher:subscription_succeeded', render);
  channel.bind('pusher:member_added', changed('joined', 'pusher:member_added'));
  channel.bind('pusher:member_removed', changed('left', 'pusher:member_removed'));
}

const time = () => new Date().toLocaleTimeString('en-GB', { hour12: false });

function log(channel, event, data) {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const entry = el('li', '', el('time', '', time()), el('code', 'channel', channel), el('strong', 'event', event));
  if (channel.startsWith('private-encrypted-')) entry.append(el('span', 'badge lock', 'decrypted'));
  entry.append(el('pre', 'data', text));
  Object.assign(entry.dataset, { channel, event });
  $('log').prepend(entry);
  $('log').children[MAX_LOG_ROWS]?.remove();
  $('log-count').textContent = String(Number($('log-count').textContent) + 1);
  $('log-empty').hidden = true;
}

// --- The token: the connection ends with it (4200), a refreshed one carries on (token.js) -------
const login = (userId, name, lifetime) => postJson('/demo/login', { user_id: userId, ...(name && { name }), expires_in: lifetime });
const tokenState = tokenPanel($('token-state'), () => session, login, explain);

// --- Send: /demo/send applies the same policy as /pusher/auth ------------------------------------
function sendFields() {
  const form = $('send-form').elements;
  const raw = form.data.value;
  let data = raw;
  try {
    data = JSON.parse(raw);
  } catch {
    // plain text is sent as a string
  }
  return { channel: form.channel.value.trim(), event: form.event.value.trim(), data };
}

function renderCurl() {
  const payload = JSON.stringify(sendFields()).replaceAll("'", "'\\''");
  $('curl').textContent = [
    `curl -s -X POST ${location.origin}/trigger \\`,
    `  -H "Authorization: Bearer $TRIGGER_TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '${payload}'`,
  ].join('\n');
}

async function send(message) {
  const result = badge($('send-result'), 'wait', 'sending…');
  const { status, body } = await postJson('/demo/send', message, session.token);
  if (status === 200) badge(result, 'ok', `sent to ${message.channel}`);
  else badge(result, 'err', `${status === 403 ? 'refused' : 'failed'} ${status}: ${explain(body.error)}`);
}

// --- Sign in and start ----------------------------------------------------------------------------
function start({ token, user, expires_at: expiresAt }, lifetime) {
  session = { token, expiresAt, lifetime, expired: false, user };
  session.pusher = connect(() => session.token);
  const other = `private-user-${user.id === '1' ? '2' : '1'}`;
  const mine = [`private-user-${user.id}`, `private-encrypted-user-${user.id}`, 'presence-lobby'];
  $('me-name').textContent = user.info?.name ?? user.id;
  $('me-id').textContent = `id ${user.id}`;
  $('me').hidden = false;
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  watchConnection(session.pusher);
  tokenState.watch(session.pusher);
  tokenState.show();
  for (const name of mine) track($('mine'), name);
  watchPresence(session.pusher.channel('presence-lobby'));
  watchSignin(session.pusher, user.id);
  track($('room'), ROOM);
  $('try-form').elements.channel.value = other;
  $('send-form').elements.channel.value = mine[0];
  $('send-channels').replaceChildren(...[...mine, other].map((name) => Object.assign(el('option'), { value: name })));
  renderCurl();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  const lifetime = Number(form.get('expires_in'));
  const { status, body } = await login(String(form.get('user_id')).trim(), String(form.get('name')).trim(), lifetime);
  if (status === 200) return start(body, lifetime);
  const why = status === 404 ? 'demo login is off on this server (DEMO_LOGIN)' : explain(body.error);
  $('sign-in-error').textContent = `Sign-in failed (${status}): ${why}`;
});

$('try-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = event.currentTarget.elements.channel.value.trim();
  const existing = session.pusher.channel(name);
  if (existing?.subscribed) return setStatus(channelRow($('tried'), name), 'ok', 'subscribed', 'already subscribed');
  if (existing) session.pusher.unsubscribe(name); // a fresh attempt, with fresh bindings
  track($('tried'), name);
});

$('send-form').addEventListener('input', renderCurl);
$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send(sendFields());
});
$('send-to-me').addEventListener('click', () =>
  send({ channel: `#server-to-user-${session.user.id}`, event: 'notice', data: { message: 'hello from the server' } }),
);
$('refresh-token').addEventListener('click', () => tokenState.refresh());
$('room-remove').addEventListener('click', () => changeMembership('DELETE'));
$('room-add').addEventListener('click', () => changeMembership('PUT'));
$('sign-out').addEventListener('click', () => {
  session.pusher.disconnect();
  location.reload();
});
$('sign-in-button').disabled = false; // the page is ready: until now a submit would have reloaded it

