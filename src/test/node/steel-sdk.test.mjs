// The real, unmodified steel-sdk (and puppeteer-core) against the operator's Steel-compatible API.
// Only the base URL and the API key are set, exactly as a user switching from Steel's cloud would.
//
//   BASE_URL=http://localhost:8080 STEEL_API_KEY=local node steel-sdk.test.mjs
//
// PAGE_URL (optional): a page to load in the session's browser; its title must equal PAGE_TITLE if that is
// set, and must not be empty otherwise. Without PAGE_URL a data: URL with a known title is loaded.
// Exits 0 when every check passed; otherwise prints what failed and exits 1.

import Steel from 'steel-sdk';
import puppeteer from 'puppeteer-core';
import { check } from './rest-api.mjs';

const DATA_TITLE = 'steel-sdk compatibility';
const DATA_URL = `data:text/html,<html><head><title>${encodeURIComponent(DATA_TITLE)}</title></head><body>ok</body></html>`;

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

function show(value) {
  return JSON.stringify(value);
}

const created = [];

async function create(client, params) {
  const session = await client.sessions.create(params);
  created.push(session.id);
  return session;
}

async function expectError(promise, ErrorType, status, fragment, what) {
  try {
    await promise;
  } catch (error) {
    check(error instanceof ErrorType, `${what}: expected ${ErrorType.name}, got ${error}`);
    check(error.status === status, `${what}: expected HTTP ${status}, got ${error.status}`);
    check(String(error.message).includes(fragment), `${what}: message ${show(error.message)} lacks ${show(fragment)}`);
    return;
  }
  throw new Error(`${what}: expected ${ErrorType.name}, but the call succeeded`);
}

async function loadPage(session) {
  const browser = await puppeteer.connect({ browserWSEndpoint: session.websocketUrl });
  try {
    const page = await browser.newPage();
    const url = process.env.PAGE_URL || DATA_URL;
    await page.goto(url, { waitUntil: 'load' });
    const title = await page.title();
    const expected = process.env.PAGE_URL ? process.env.PAGE_TITLE : DATA_TITLE;
    if (expected) {
      check(title === expected, `page ${url}: title ${show(title)}, expected ${show(expected)}`);
    } else {
      check(title.length > 0, `page ${url}: empty title`);
    }
    await page.close();
  } finally {
    await browser.disconnect();
  }
}

/** Runs fn in a new page of the session, at url; returns what fn returns in the page. */
async function inPage(session, url, fn) {
  const browser = await puppeteer.connect({ browserWSEndpoint: session.websocketUrl });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return await page.evaluate(fn);
  } finally {
    await browser.disconnect();
  }
}

async function sessionContexts(client, url) {
  const origin = new URL(url).origin;
  const first = await create(client, { timeout: 60000 });
  await inPage(first, url, () => {
    document.cookie = 'login=s3cret; max-age=3600';
    localStorage.setItem('user', 'ann');
  });
  const context = await client.sessions.context(first.id);
  check(context.cookies.some((c) => c.name === 'login' && c.value === 's3cret'),
    `context: cookies ${show(context.cookies)} lack login=s3cret`);
  check(context.localStorage?.[origin]?.user === 'ann', `context: localStorage ${show(context.localStorage)}`);
  await client.sessions.release(first.id);
  await expectError(client.sessions.context(first.id), Steel.ConflictError, 409, 'its browser is gone',
    'context of a released session');

  const next = await create(client, { timeout: 60000, sessionContext: context });
  const seen = await inPage(next, url, () => [document.cookie, localStorage.getItem('user')]);
  check(seen[0].includes('login=s3cret') && seen[1] === 'ann',
    `restored context: the page sees ${show(seen)}, expected the login cookie and user "ann"`);
  await client.sessions.release(next.id);
  await expectError(client.sessions.create({ sessionContext: { sessionStorage: { [origin]: { k: 'v' } } } }),
    Steel.BadRequestError, 400, 'sessionContext.sessionStorage is not supported', 'create sessionStorage');

  // Create -> Live with and without a context of 50 cookies and 20 local-storage entries (printed, not asserted).
  const big = {
    cookies: Array.from({ length: 50 }, (_, i) => ({
      name: `c${i}`, value: 'v'.repeat(40), domain: new URL(url).hostname, path: '/',
    })),
    localStorage: { [origin]: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(100)])) },
  };
  const timings = { without: [], with: [] };
  for (let round = 0; round < 3; round += 1) {
    for (const [name, params] of [['without', {}], ['with', { sessionContext: big }]]) {
      const start = Date.now();
      const session = await create(client, { timeout: 60000, ...params });
      timings[name].push(Date.now() - start);
      await client.sessions.release(session.id);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`create -> Live (ms, 3 runs each): without context ${show(timings.without)} median ${median(timings.without)};`
    + ` with 50 cookies + 20 localStorage entries ${show(timings.with)} median ${median(timings.with)}`);
}

async function main() {
  const client = new Steel({ baseURL: env('BASE_URL'), steelAPIKey: env('STEEL_API_KEY') });

  // Create with a timeout: the answer comes once the browser is Live.
  const session = await create(client, { timeout: 120000 });
  check(session.status === 'live', `create: status ${show(session.status)}, expected "live"`);
  check(session.timeout === 120000, `create: timeout ${session.timeout}, expected 120000`);
  check(/^wss?:\/\//.test(session.websocketUrl), `create: websocketUrl ${show(session.websocketUrl)} is not a ws URL`);
  check(session.websocketUrl.includes('token='), 'create: websocketUrl carries no token');
  for (const field of ['id', 'createdAt', 'duration', 'debugUrl', 'sessionViewerUrl', 'dimensions', 'creditsUsed']) {
    check(session[field] !== undefined, `create: the Session has no ${field}`);
  }

  // Retrieve.
  const retrieved = await client.sessions.retrieve(session.id);
  check(retrieved.id === session.id, `retrieve: id ${show(retrieved.id)}, expected ${show(session.id)}`);
  check(retrieved.status === 'live', `retrieve: status ${show(retrieved.status)}, expected "live"`);

  // Two more, so that pages of two make several pages; ids are time-ordered, newest listed first.
  const second = await create(client, { timeout: 60000 });
  const third = await create(client);
  check(third.timeout === 300000, `create without timeout: timeout ${third.timeout}, expected the default 300000`);

  // List: `for await` follows the pages (cursorId = last id) until an empty one.
  const listed = [];
  for await (const item of client.sessions.list({ limit: 2, status: 'live' })) {
    check(item.status === 'live', `list status=live: ${item.id} has status ${show(item.status)}`);
    listed.push(item.id);
  }
  check(new Set(listed).size === listed.length, `list: an id came twice in ${show(listed)}`);
  const ours = listed.filter((id) => created.includes(id));
  check(show(ours) === show([third.id, second.id, session.id]),
    `list: our sessions came as ${show(ours)}, expected newest first ${show([third.id, second.id, session.id])}`);
  const firstPage = await client.sessions.list({ limit: 2 });
  check(firstPage.sessions.length === 2, `list limit=2: ${firstPage.sessions.length} sessions on the first page`);

  // An empty id is an error, never release-all (the SDK sends POST /v1/sessions//release) nor the list.
  await expectError(client.sessions.release(''), Steel.BadRequestError, 400, 'a session id cannot be empty', "release('')");
  await expectError(client.sessions.retrieve(''), Steel.BadRequestError, 400, 'a session id cannot be empty', "retrieve('')");
  for (const id of created) {
    const after = await client.sessions.retrieve(id);
    check(after.status === 'live', `after release(''): ${id} has status ${show(after.status)}, expected "live"`);
  }

  // Drive the browser through the session's CDP endpoint.
  await loadPage(session);

  // Release, then again: idempotent.
  const released = await client.sessions.release(session.id);
  check(released.success === true, `release: ${show(released)}`);
  const afterRelease = await client.sessions.retrieve(session.id);
  check(afterRelease.status === 'released', `after release: status ${show(afterRelease.status)}, expected "released"`);
  const again = await client.sessions.release(session.id);
  check(again.success === true, `second release: ${show(again)}`);

  // Release all: the two others end too.
  const all = await client.sessions.releaseAll();
  check(all.success === true && /^released \d+ sessions/.test(all.message), `releaseAll: ${show(all)}`);
  for (const id of [second.id, third.id]) {
    const ended = await client.sessions.retrieve(id);
    check(ended.status === 'released', `after releaseAll: ${id} has status ${show(ended.status)}, expected "released"`);
  }
  const releasedIds = [];
  for await (const item of client.sessions.list({ limit: 2, status: 'released' })) {
    releasedIds.push(item.id);
  }
  check(created.every((id) => releasedIds.includes(id)), `list status=released lacks some of ${show(created)}`);

  // Session options: the window size and user agent the page sees.
  const sized = await create(client, { timeout: 60000, dimensions: { width: 1024, height: 700 }, userAgent: 'SteelCompat/1.0 (test)' });
  check(sized.dimensions.width === 1024 && sized.dimensions.height === 700, `create dimensions: ${show(sized.dimensions)}`);
  const sizedBrowser = await puppeteer.connect({ browserWSEndpoint: sized.websocketUrl, defaultViewport: null });
  try {
    const page = await sizedBrowser.newPage();
    const seen = await page.evaluate(() => [innerWidth, innerHeight, navigator.userAgent]);
    check(show(seen) === show([1024, 700, 'SteelCompat/1.0 (test)']),
      `dimensions and userAgent: the page sees ${show(seen)}, expected [1024,700,"SteelCompat/1.0 (test)"]`);
  } finally {
    await sizedBrowser.disconnect();
  }
  await client.sessions.release(sized.id);

  // Session contexts: log in once, reuse the login in the next session.
  if (process.env.PAGE_URL) {
    await sessionContexts(client, process.env.PAGE_URL);
  }

  // An option this server does not offer is refused with a 400 the SDK does not retry.
  let requests = 0;
  const counting = new Steel({
    baseURL: env('BASE_URL'),
    steelAPIKey: env('STEEL_API_KEY'),
    fetch: (...args) => { requests += 1; return fetch(...args); },
  });
  await expectError(counting.sessions.create({ solveCaptcha: true }), Steel.BadRequestError, 400,
    'solveCaptcha: true is not supported by this server', 'create solveCaptcha');
  check(requests === 1, `create solveCaptcha: the SDK sent ${requests} requests, expected 1 (no retry)`);

  // Errors come back as the SDK's typed errors, with the server's message.
  await expectError(client.sessions.retrieve('no-such-session'), Steel.NotFoundError, 404, 'not found', 'retrieve unknown');
  await expectError(client.sessions.create({ timeout: -1 }), Steel.BadRequestError, 400, 'timeout', 'create timeout -1');
}

main().then(
  () => console.log('steel-sdk compatibility: all checks passed'),
  async (error) => {
    console.error(`steel-sdk compatibility FAILED: ${error.message}`);
    // Do not leave browsers running until their timeout.
    const client = new Steel({ baseURL: process.env.BASE_URL, steelAPIKey: process.env.STEEL_API_KEY });
    await Promise.allSettled(created.map((id) => client.sessions.release(id)));
    process.exit(1);
  },
);
