// The sessions dashboard. Signs in with an API key kept in this tab's session storage (never in a URL), reads the
// namespace's sessions from a server-sent-events feed the operator fills from its informer, and releases sessions
// through the Steel-compatible REST API. Everything shown is set as text, never as HTML.
'use strict';

const KEY_STORAGE = 'browser-operator.steel-api-key';
const RETRY_MAX_MS = 30000;
const THUMBNAIL_REFRESH_MS = 5000;

const rows = new Map(); // session id -> row from the feed
// Live session id -> its "View" cell, kept across renders so its thumbnail does not reload with every feed event.
const views = new Map();
let feedAbort = null;

const $ = (id) => document.getElementById(id);

function key() {
  return sessionStorage.getItem(KEY_STORAGE);
}

async function api(method, path) {
  const response = await fetch(path, { method, headers: { 'steel-api-key': key(), 'content-type': 'application/json' } });
  if (response.status === 401) {
    signOut('The API key is no longer accepted.');
    throw new Error('unauthorized');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message || `HTTP ${response.status}`);
  }
  return body;
}

function showSignIn(message) {
  $('sessions').hidden = true;
  $('account').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('key').focus();
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  if (feedAbort) {
    feedAbort.abort();
    feedAbort = null;
  }
  rows.clear();
  views.clear();
  render();
  showSignIn(message);
}

async function signIn(event) {
  event.preventDefault();
  const candidate = $('key').value.trim();
  const response = await fetch('/v1/sessions?limit=1', { headers: { 'steel-api-key': candidate } });
  if (response.status === 401) {
    $('sign-in-error').textContent = 'Wrong API key.';
    return;
  }
  if (!response.ok) {
    $('sign-in-error').textContent = `The operator answered HTTP ${response.status}.`;
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, candidate);
  $('key').value = '';
  $('sign-in-error').textContent = '';
  start();
}

function start() {
  $('sign-in').hidden = true;
  $('sessions').hidden = false;
  $('account').hidden = false;
  follow(1000);
}

// Reads the feed until it ends, then follows it again after a growing pause.
async function follow(retryMs) {
  feedAbort = new AbortController();
  const signal = feedAbort.signal;
  try {
    const response = await fetch('/v1/dashboard/events', {
      headers: { 'steel-api-key': key(), accept: 'text/event-stream' },
      signal,
    });
    if (response.status === 401) {
      signOut('The API key is no longer accepted.');
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || `HTTP ${response.status}`);
    }
    $('feed-state').textContent = 'Live: updates appear as they happen.';
    retryMs = 1000;
    await readEvents(response.body.getReader(), onEvent);
    throw new Error('the feed ended');
  } catch (error) {
    if (signal.aborted) {
      return;
    }
    $('feed-state').textContent = `Reconnecting (${error.message})…`;
    setTimeout(() => follow(Math.min(retryMs * 2, RETRY_MAX_MS)), retryMs);
  }
}

// Server-sent events: "data:" lines up to a blank line make one event.
async function readEvents(reader, handle) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) {
        handle(JSON.parse(data));
      }
    }
  }
}

function onEvent(event) {
  if (event.type === 'snapshot') {
    rows.clear();
  }
  for (const session of event.sessions) {
    if (event.type === 'delete') {
      rows.delete(session.id);
    } else {
      rows.set(session.id, session);
    }
  }
  if (event.type !== 'ping') {
    render();
  }
}

function timeLeft(session, now) {
  if (session.phase === 'Live' && session.expiresAt) {
    const seconds = Math.max(0, Math.round((Date.parse(session.expiresAt) - now) / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return (h ? `${h}:${String(m).padStart(2, '0')}` : `${m}`) + `:${String(s).padStart(2, '0')}`;
  }
  return session.phase === 'Pending' ? 'starting' : session.phase ? 'ended' : '';
}

function ago(timestamp, now) {
  if (!timestamp) {
    return '—';
  }
  const seconds = Math.max(0, Math.round((now - Date.parse(timestamp)) / 1000));
  if (seconds < 90) {
    return `${seconds} s ago`;
  }
  return seconds < 5400 ? `${Math.round(seconds / 60)} min ago` : new Date(timestamp).toLocaleString();
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

function button(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await onClick();
    } catch (error) {
      alert(error.message);
      b.disabled = false;
    }
  });
  return b;
}

function render() {
  const now = Date.now();
  const body = $('rows');
  body.replaceChildren();
  for (const id of views.keys()) {
    if ((rows.get(id) || {}).phase !== 'Live') {
      views.delete(id);
    }
  }
  const sessions = [...rows.values()].sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || '') || b.id.localeCompare(a.id));
  for (const session of sessions) {
    const tr = document.createElement('tr');
    tr.dataset.id = session.id;
    tr.dataset.phase = session.phase || '';
    tr.appendChild(cell(session.id, 'id'));

    const phase = document.createElement('td');
    const badge = document.createElement('span');
    badge.className = `phase ${session.phase || ''}`;
    badge.textContent = session.phase || 'New';
    const reason = document.createElement('span');
    reason.className = 'reason';
    reason.textContent = session.reason || '';
    reason.title = session.message || '';
    phase.append(badge, reason);
    tr.appendChild(phase);

    tr.appendChild(cell(timeLeft(session, now), 'countdown'));
    tr.appendChild(cell(ago(session.lastActivityTime, now), 'activity'));

    tr.appendChild(session.phase === 'Live' ? viewCell(session.id) : cell(''));

    const actions = document.createElement('td');
    if (session.phase === 'Pending' || session.phase === 'Live') {
      actions.appendChild(button('Release', () => api('POST', `/v1/sessions/${encodeURIComponent(session.id)}/release`)));
    }
    tr.appendChild(actions);
    body.appendChild(tr);
  }
  $('empty').hidden = sessions.length > 0;
}

function link(text, href, className) {
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  if (className) {
    a.className = className;
  }
  return a;
}

function thumbnailUrl(viewerUrl) {
  const url = new URL(viewerUrl);
  url.pathname = '/viewer/thumbnail';
  url.searchParams.set('t', String(Date.now()));
  return url.toString();
}

// A Live session's live thumbnail (a still from its agent, refreshed: watching is not activity) and links to its
// viewer, interactive and watch-only. The viewer's URL carries the session token, so it is asked of the REST API.
function viewCell(id) {
  let td = views.get(id);
  if (td) {
    return td;
  }
  td = cell('', 'view');
  views.set(id, td);
  api('GET', `/v1/sessions/${encodeURIComponent(id)}`).then((details) => {
    const viewerUrl = details.sessionViewerUrl;
    if (!viewerUrl) {
      return;
    }
    const picture = link('', viewerUrl, 'thumb-link');
    picture.title = 'Open the live viewer';
    const image = document.createElement('img');
    image.className = 'thumb';
    image.alt = 'No picture: no tab open yet';
    image.src = thumbnailUrl(viewerUrl);
    image.dataset.viewerUrl = viewerUrl;
    picture.appendChild(image);
    const watchOnly = new URL(viewerUrl);
    watchOnly.searchParams.set('interactive', 'false');
    const links = document.createElement('div');
    links.className = 'view-links';
    links.append(link('Open', viewerUrl, 'open'), ' · ', link('Watch', watchOnly.toString(), 'watch'));
    td.replaceChildren(picture, links);
  }).catch((error) => {
    td.textContent = error.message;
  });
  return td;
}

function refreshThumbnails() {
  for (const td of views.values()) {
    const image = td.querySelector('img.thumb');
    if (image && image.complete) {
      image.src = thumbnailUrl(image.dataset.viewerUrl);
    }
  }
}

// Only the countdowns and "… ago" move on their own; the rest changes with the feed.
function tick() {
  const now = Date.now();
  for (const tr of $('rows').children) {
    const session = rows.get(tr.dataset.id);
    if (session) {
      tr.querySelector('.countdown').textContent = timeLeft(session, now);
      tr.querySelector('.activity').textContent = ago(session.lastActivityTime, now);
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('release-all').addEventListener('click', async () => {
    if (confirm('Release every session of this namespace that has not ended?')) {
      try {
        const result = await api('POST', '/v1/sessions/release');
        $('feed-state').textContent = result.message;
      } catch (error) {
        alert(error.message);
      }
    }
  });
  setInterval(tick, 1000);
  setInterval(refreshThumbnails, THUMBNAIL_REFRESH_MS);
  if (key()) {
    start();
  } else {
    showSignIn();
  }
});
