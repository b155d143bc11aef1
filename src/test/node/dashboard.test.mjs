// The sessions dashboard in a real browser (playwright-core driving Debian's Chromium): sign-in with a wrong and a
// right key, sessions appearing with their phase as the operator moves them, their live thumbnails and viewer links,
// the countdown running, Release ending a session and its row turning Released without a reload, Release all.
//
//   BASE_URL=http://localhost:8080 STEEL_API_KEY=local CHROMIUM=/usr/lib/chromium/chromium-headless-shell \
//   SCREENSHOT=target/screenshots/dashboard.png node dashboard.test.mjs
//
// Exits 0 when every check passed; otherwise prints what failed and exits 1.

import { chromium } from 'playwright-core';
import { api, check } from './rest-api.mjs';

const BASE_URL = process.env.BASE_URL;
const KEY = process.env.STEEL_API_KEY;
const TIMEOUT = 30000;

function seconds(text) {
  const parts = text.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
  await page.goto(`${BASE_URL}/dashboard/`);

  // A wrong key is refused and nothing is shown.
  await page.fill('#key', 'not-a-key');
  await page.click('#sign-in button[type=submit]');
  await page.waitForFunction(() => document.getElementById('sign-in-error').textContent.includes('Wrong API key'),
    null, { timeout: TIMEOUT });
  check(await page.isHidden('#sessions'), 'sessions shown after a wrong key');
  check(await page.evaluate(() => sessionStorage.length) === 0, 'a wrong key was stored');

  // The right key: kept in session storage, never in the URL.
  await page.fill('#key', KEY);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#sessions', { state: 'visible', timeout: TIMEOUT });
  check(await page.isHidden('#sign-in'), 'the sign-in form is still shown after signing in');
  check(!page.url().includes(KEY), 'the key is in the URL');
  check(await page.evaluate(() => Object.values(sessionStorage).length) === 1, 'the key is not in session storage');
  await page.waitForFunction(() => document.getElementById('feed-state').textContent.startsWith('Live'),
    null, { timeout: TIMEOUT });

  // Sessions created elsewhere appear, and turn Live without a reload.
  const first = await api('POST', '/v1/sessions', { timeout: 600000 });
  const second = await api('POST', '/v1/sessions', { timeout: 600000 });
  const row = (id) => `tr[data-id="${id}"]`;
  for (const id of [first.id, second.id]) {
    await page.waitForSelector(`${row(id)}[data-phase="Live"]`, { timeout: TIMEOUT });
  }

  // Each Live session shows a thumbnail from its agent, linking to its viewer (interactive and watch-only). A session
  // has no tab until a client opens one: open one through the agent's DevTools endpoint.
  const agent = new URL(first.websocketUrl.replace(/^ws/, 'http'));
  agent.pathname = '/json/new';
  check((await fetch(agent, { method: 'PUT' })).ok, 'could not open a tab in the session');
  await page.waitForFunction((selector) => {
    const image = document.querySelector(selector);
    return image && image.complete && image.naturalWidth > 0;
  }, `${row(first.id)} img.thumb`, { timeout: TIMEOUT });
  const open = await page.getAttribute(`${row(first.id)} a.open`, 'href');
  check(/\/viewer\?token=[^&]+$/.test(open), `the viewer link is ${open}`);
  check((await page.getAttribute(`${row(first.id)} a.watch`, 'href')).endsWith('&interactive=false'),
    'the watch-only link is not watch-only');

  // The countdown runs on its own.
  const before = seconds(await page.textContent(`${row(first.id)} .countdown`));
  check(before > 590 && before <= 600, `countdown starts at ${before} s, not about 600`);
  await page.waitForFunction((selector) => {
    const [m, s] = document.querySelector(selector).textContent.split(':').map(Number);
    return m * 60 + s <= 597;
  }, `${row(first.id)} .countdown`, { timeout: TIMEOUT });

  const screenshot = process.env.SCREENSHOT;
  if (screenshot) {
    await page.screenshot({ path: screenshot });
  }

  // Release one from its row: it turns Released in place.
  await page.click(`${row(first.id)} button:text("Release")`);
  await page.waitForSelector(`${row(first.id)}[data-phase="Released"]`, { timeout: TIMEOUT });
  check(await page.textContent(`${row(first.id)} .countdown`) === 'ended', 'a released session still counts down');
  check((await api('GET', `/v1/sessions/${first.id}`)).status === 'released', 'the API does not say released');

  // Release all: the rest follow.
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#release-all');
  await page.waitForSelector(`${row(second.id)}[data-phase="Released"]`, { timeout: TIMEOUT });

  // Signing out forgets the key.
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in', { state: 'visible', timeout: TIMEOUT });
  check(await page.evaluate(() => sessionStorage.length) === 0, 'the key outlived sign-out');
  console.log('dashboard: all checks passed');
} catch (error) {
  console.error(`dashboard: ${error.stack || error}`);
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
