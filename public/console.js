// The operator console: one ES module, no build step. The token comes from the URL fragment
// (never sent to a server), lives in memory only, and travels as a bearer header, never in a URL.
import { badge, el } from '/dom.js';

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 1000; // the server keeps as many; a reconnect replays them all
const STATE_REFRESH_MS = 2000;
const RETRY_MAX_MS = 15_000;
const VERDICTS = { allow: 'allowed', deny: 'denied', error: 'failed' }; // error: a rule or AUTHZ_URL failed (a 502)

let token = readFragmentToken();
let decisions = []; // newest first
let live = false; // false while a replay is arriving: only later rows are announced
let streamAbort;
let stateTimer;

function readFragmentToken() {
  const found = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return found || undefined;
}

async function api(path, init = {}) {
  const headers = { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
  const res = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (res.status === 401) lock('The token was not accepted.');
  return res;
}

// --- Locking and unlocking -----------------------------------------------------------------------

function lock(message) {
  token = undefined;
  streamAbort?.abort();
  clearTimeout(stateTimer);
  $('console').hidden = true;
  $('unlock').hidden = false;
  $('unlock-error').textContent = message;
  badge($('stream-state'), 'err', 'locked');
}

async function unlock() {
  $('unlock').hidden = true;
  $('console').hidden = false;
  void followDecisions();
  const { mode } = await fetch('/healthz').then((res) => res.json());
  if (mode === 'embedded') void refreshState();
  else showStateOff();
}

$('unlock-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const field = event.target.elements.token;
  token = field.value.trim();
  field.value = '';
  void unlock();
});

// --- Decisions: fetch() with a stream reader, so the token rides in a header ---------------------

async function followDecisions() {
  let retryMs = 1000;
  while (token) {
    streamAbort = new AbortController();
    badge($('stream-state'), 'wait', 'connecting');
    try {
      const res = await fetch('/console/decisions', { headers: { Authorization: `Bearer ${token}` }, signal: streamAbort.signal });
      if (res.status === 401) return lock('The token was not accepted.');
      if (res.ok) {
        retryMs = 1000;
        decisions = []; // the replay brings back everything the server kept
        live = false;
        $('decisions').setAttribute('aria-busy', 'true');
        await readEvents(res.body);
      }
    } catch (err) {
      if (streamAbort.signal.aborted) return;
      console.warn('decision stream interrupted:', err.message);
    }
    badge($('stream-state'), 'err', 'reconnecting');
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }
}

async function readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      onEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function onEvent(block) {
  let type = 'message';
  let data;
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data = JSON.parse(line.slice(5));
  }
  if (type === 'decision') return addDecision(data);
  if (type !== 'replayed') return;
  live = true;
  $('decisions').setAttribute('aria-busy', 'false');
  badge($('stream-state'), 'ok', 'live');
  render();
}

function addDecision(decision) {
  decisions.unshift(decision);
  if (decisions.length > MAX_ROWS) decisions.pop();
  if (!live) return; // rendered once, when the replay is complete
  const list = $('decisions');
  if (matches(decision)) list.prepend(row(decision));
  while (list.children.length > MAX_ROWS) list.lastElementChild.remove();
  countSoon();
}

// --- Rendering and filters -----------------------------------------------------------------------

function filters() {
  const form = $('filters').elements;
  return { user: form.user.value.trim(), channel: form.channel.value.trim(), verdict: form.verdict.value };
}

function matches(decision, f = filters()) {
  return (
    (!f.user || decision.userId.includes(f.user)) &&
    (!f.channel || (decision.channel ?? '').includes(f.channel)) &&
    (!f.verdict || decision.verdict === f.verdict)
  );
}

function row(d) {
  const time = new Date(d.time);
  const item = el(
    'li',
    '',
    el('time', '', time.toLocaleTimeString([], { hour12: false })),
    badge(el('span', 'badge'), d.verdict === 'allow' ? 'ok' : 'err', VERDICTS[d.verdict]),
    el('span', 'who', 'user ', el('code', '', d.userId)),
    el('span', 'what', d.channel === null ? 'sign-in' : el('code', '', d.channel)),
    el('span', 'rule', ...(d.channel === null ? [] : d.rule === null ? ['no rule'] : ['rule ', el('code', '', d.rule)])),
    el('span', 'took', `${d.duration.toFixed(d.duration < 1 ? 2 : 1)} ms`),
  );
  item.querySelector('time').dateTime = d.time;
  if (d.reason) item.append(el('span', 'reason', d.reason));
  Object.assign(item.dataset, { verdict: d.verdict, user: d.userId, channel: d.channel ?? '' });
  return item;
}

function render() {
  const shown = decisions.filter((d) => matches(d));
  $('decisions').replaceChildren(...shown.map(row));
  count(shown);
}

function count(shown = decisions.filter((d) => matches(d))) {
  for (const verdict of Object.keys(VERDICTS)) $(`count-${verdict}`).textContent = shown.filter((d) => d.verdict === verdict).length;
  $('decisions-empty').hidden = shown.length > 0;
}

let countPending = false;
/** Counting walks every kept row: at most once a frame, however fast decisions arrive. */
function countSoon() {
  if (countPending) return;
  countPending = true;
  requestAnimationFrame(() => {
    countPending = false;
    count();
  });
}

$('filters').addEventListener('input', () => render());
$('filters').addEventListener('submit', (event) => event.preventDefault());

// --- What if -------------------------------------------------------------------------------------

$('explain-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target.elements;
  const result = $('explain-result');
  const user = { id: form.id.value.trim() };
  try {
    if (form.info.value.trim()) user.info = JSON.parse(form.info.value);
  } catch {
    return badge(result, 'err', 'User info is not valid JSON.');
  }
  const globs = form.channels.value.split(',').map((glob) => glob.trim()).filter(Boolean);
  if (globs.length > 0) user.channels = globs;
  badge(result, 'wait', 'asking the rules');
  const res = await api('/console/explain', { method: 'POST', body: JSON.stringify({ user, channel: form.channel.value.trim() }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return badge(result, 'err', body.error?.message ?? `the server answered ${res.status}`);
  const rule = body.rule === null ? 'no rule matches' : `rule ${body.rule}`;
  badge(result, body.allow ? 'ok' : 'err', body.allow ? `allowed · ${rule}` : `refused · ${rule} · ${body.reason}`);
});

// --- The embedded server's state: polled while the tab is visible --------------------------------

async function refreshState() {
  clearTimeout(stateTimer);
  if (!token) return;
  if (document.visibilityState === 'visible') {
    try {
      const res = await api('/console/state');
      if (res.ok) showState(await res.json());
    } catch (err) {
      console.warn('state refresh failed:', err.message);
    }
  }
  if (token) stateTimer = setTimeout(refreshState, STATE_REFRESH_MS);
}

function showStateOff() {
  $('state-off').hidden = false;
  $('state-body').hidden = true;
}

function showState(state) {
  $('state-connections').textContent = state.connections;
  $('state-channel-count').textContent = state.channelCount;
  $('state-user-count').textContent = state.userCount;
  $('state-updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
  $('users').replaceChildren(
    ...state.users.map((user) => {
      const button = el('button', 'quiet', 'Terminate');
      button.type = 'button';
      button.setAttribute('aria-label', `Terminate user ${user.id}`);
      button.addEventListener('click', () => terminate(user.id, button));
      const item = el('li', '', el('code', '', user.id), el('span', 'hint', plural(user.connections, 'connection')), button);
      item.dataset.user = user.id;
      return item;
    }),
  );
  $('channels').replaceChildren(
    ...state.channels.map((channel) => {
      const item = el('li', '', el('code', '', channel.name), el('span', 'hint', plural(channel.subscribers, 'subscriber')));
      if (channel.members) {
        const names = channel.members.map((m) => (m.info?.name ? `${m.info.name} (${m.id})` : m.id));
        const more = (channel.memberCount ?? names.length) - names.length; // the server lists a bounded few
        item.append(el('span', 'members', more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ')));
      }
      item.dataset.channel = channel.name;
      return item;
    }),
  );
}

function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

async function terminate(userId, button) {
  button.disabled = true;
  const res = await api(`/console/users/${encodeURIComponent(userId)}/terminate`, { method: 'POST' });
  const body = await res.json().catch(() => ({}));
  $('terminate-result').textContent = res.ok
    ? `Closed every connection of user ${userId}.`
    : `Could not terminate user ${userId}: ${body.error?.message ?? res.status}`;
  await refreshState();
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void refreshState();
});

if (token) void unlock();
else lock('');
