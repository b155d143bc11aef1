// The live session viewer in a real browser (playwright-core driving Debian's Chromium), against a live local-mode
// session whose page is a test page served here on localhost. Checks: no token, no viewer; a frame arrives and follows
// the page; a click and typing (shortcut and paste too) through the viewer reach the page; a tap on a phone is a click;
// a new tab appears in the tab strip and the strip switches tabs; a watch-only viewer has its input refused by the
// agent; input keeps a session alive past its inactivity timeout while a watch-only viewer on an idle one lets it be
// released. Measures frame latency (page change → frame, input → frame), frames per second, and the operator's CPU and
// memory (local mode's agents run in it) with one viewer streaming, and prints them as a "viewer-bench:" JSON line.
//
//   BASE_URL=http://localhost:8080 STEEL_API_KEY=local CHROMIUM=/usr/lib/chromium/chromium-headless-shell \
//   SCREENSHOTS=target/screenshots OPERATOR_PID=1234 node viewer.test.mjs
//
// Exits 0 when every check passed; otherwise prints what failed and exits 1.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { api, check } from './rest-api.mjs';

const BASE_URL = process.env.BASE_URL;
const KEY = process.env.STEEL_API_KEY;
const SCREENSHOTS = process.env.SCREENSHOTS;
const OPERATOR_PID = process.env.OPERATOR_PID;
const TIMEOUT = 30000;
const SAMPLES = 20;
const INACTIVITY_MS = 8000;
const KEPT_ALIVE_MS = 15000;

const TEST_PAGE = `<!doctype html><title>Viewer test page</title>
<body style="margin:0;font:20px sans-serif">
<button id="b" style="position:fixed;left:2vw;top:4vh;width:44vw;height:36vh;font-size:32px">Click me</button>
<input id="i" placeholder="Type here" style="position:fixed;left:2vw;top:50vh;width:44vw;height:14vh;font-size:28px">
<div id="box" style="position:fixed;right:0;top:0;width:50vw;height:100vh;background:rgb(255,255,255)"></div>
<script>
  // Every press the page gets, where and on what: what a failed check says about the input that reached the page.
  window.presses = [];
  document.addEventListener('mousedown', (e) => { presses.push({ x: e.clientX, y: e.clientY, on: e.target.id }); },
    true);
  b.onclick = () => { window.clicks = (window.clicks || 0) + 1; b.textContent = 'Clicked ' + window.clicks; };
  // A press on the right half flips its colour: what the input-to-frame latency is measured with.
  box.onmousedown = () => {
    box.style.background = box.style.background === 'rgb(0, 0, 255)' ? 'rgb(255, 0, 0)' : 'rgb(0, 0, 255)';
  };
</script>`;
const SECOND_PAGE = '<!doctype html><title>Second tab</title><h1 style="font:48px sans-serif">A second tab</h1>';

const pages = http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(request.url.startsWith('/second') ? SECOND_PAGE : TEST_PAGE);
});
await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
const PAGE_URL = `http://127.0.0.1:${pages.address().port}/`;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Where the test is, said when it overstays: a step that never answers fails naming itself instead of hanging.
let step = 'starting';
const at = (name) => { step = name; };
setTimeout(() => {
  console.error(`viewer.test.mjs: stuck at "${step}" for too long`);
  process.exit(3);
}, Number(process.env.VIEWER_TEST_LIMIT_MS || 200000)).unref();

// Each check is bounded too: a condition whose answer never comes counts as not yet.
const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

async function until(condition, message, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await within(condition(), Math.max(1000, deadline - Date.now()))) {
      return;
    }
    if (Date.now() > deadline) {
      // A message may be a function saying what was seen instead.
      throw new Error(`timed out: ${typeof message === 'function' ? await message() : message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function activity(viewerUrl) {
  const url = new URL(viewerUrl);
  url.pathname = '/activity';
  return (await fetch(url)).json();
}

// The operator's CPU time (user + system, in clock ticks of 10 ms) and resident memory.
function operatorUsage() {
  if (!OPERATOR_PID) {
    return null;
  }
  const stat = readFileSync(`/proc/${OPERATOR_PID}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${OPERATOR_PID}/status`, 'utf8'))[1]);
  return { ticks: Number(fields[11]) + Number(fields[12]), rssMiB: Math.round(rssKiB / 1024), at: Date.now() };
}

function cpuPercent(before, after) {
  return Math.round(((after.ticks - before.ticks) * 10 * 100) / (after.at - before.at));
}

// Where a point of the remote page (CSS pixels) is drawn in the viewer: the frame fits the canvas, centred.
async function toViewer(viewer, remoteSize, x, y) {
  const box = await viewer.locator('#screen').boundingBox();
  const scale = Math.min(box.width / remoteSize.width, box.height / remoteSize.height);
  return {
    x: box.x + (box.width - remoteSize.width * scale) / 2 + x * scale,
    y: box.y + (box.height - remoteSize.height * scale) / 2 + y * scale,
  };
}

// What went over a viewer's socket: frames in (when, and the metadata the viewer maps input with) and input out.
function watchSocket(page) {
  const seen = { frames: 0, lastFrame: null, input: [] };
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(payload);
      if (message.type === 'frame') {
        seen.frames += 1;
        seen.lastFrame = { at: Date.now(), metadata: message.metadata };
      }
    });
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(payload);
      if (message.type === 'mouse' && message.event !== 'mouseMoved') {
        seen.input = [...seen.input.slice(-3), { at: Date.now(), ...message }];
      }
    });
  });
  return seen;
}

// Resolves with the time (ms since the epoch) the viewer's canvas shows this colour at this point; fails, saying
// what it shows instead (and what explain() says, if given), when it does not within the timeout.
async function colourShown(viewer, point, colour, timeout = TIMEOUT, explain = async () => '') {
  const shown = await viewer.evaluate(({ point, colour, timeout }) => new Promise((resolve) => {
    const canvas = document.getElementById('screen');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const ratio = window.devicePixelRatio;
    const box = canvas.getBoundingClientRect();
    const deadline = Date.now() + timeout;
    const look = () => {
      const [r, g, b] = context.getImageData((point.x - box.left) * ratio, (point.y - box.top) * ratio, 1, 1).data;
      if (Math.abs(r - colour[0]) < 40 && Math.abs(g - colour[1]) < 40 && Math.abs(b - colour[2]) < 40) {
        resolve({ at: Date.now() });
      } else if (Date.now() > deadline) {
        resolve({ seen: [r, g, b], frames: canvas.dataset.frames });
      } else {
        requestAnimationFrame(look);
      }
    };
    look();
  }), { point, colour, timeout });
  if (shown.at === undefined) {
    throw new Error(`the viewer did not show rgb(${colour}) at ${JSON.stringify(point)} within ${timeout} ms: `
      + `it shows rgb(${shown.seen}) after ${shown.frames} frames${await explain()}`);
  }
  return shown.at;
}

// Starts or stops a colour animation on the remote page, a new frame on every frame of the page.
function animate(remote, on) {
  return remote.evaluate((on) => {
    const box = document.getElementById('box');
    window.animating = on;
    let hue = 0;
    const spin = () => {
      if (window.animating) {
        hue = (hue + 7) % 360;
        box.style.background = `hsl(${hue} 80% 50%)`;
        requestAnimationFrame(spin);
      } else {
        box.style.background = 'rgb(255, 255, 255)';
      }
    };
    spin();
  }, on);
}

const frames = (viewer) => viewer.evaluate(() => Number(document.getElementById('screen').dataset.frames || 0));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
const bench = {};
let exitCode = 0;
let driver = null;
try {
  const session = await api('POST', '/v1/sessions', { timeout: 600000, inactivityTimeout: KEPT_ALIVE_MS });
  const viewerUrl = session.sessionViewerUrl;
  check(/^http:\/\/[^/]+\/viewer\?token=[^&]+$/.test(viewerUrl), `sessionViewerUrl is ${viewerUrl}`);
  check(session.debugUrl === viewerUrl, `debugUrl is ${session.debugUrl}`);
  console.log(`sessions: kept=${session.id}`);

  at('connecting playwright to the session');
  driver = await chromium.connectOverCDP(session.websocketUrl);
  const remoteContext = driver.contexts()[0];
  const remote = remoteContext.pages()[0] || await remoteContext.newPage();
  at('opening the test page in the session');
  await remote.goto(PAGE_URL);
  const remoteSize = await remote.evaluate(() => ({ width: innerWidth, height: innerHeight }));

  // What the operator spends while the page animates and no one watches: the baseline for the streaming figures.
  at('measuring the operator with no viewer');
  await animate(remote, true);
  const noViewer = [operatorUsage()];
  await new Promise((resolve) => setTimeout(resolve, 5000));
  noViewer.push(operatorUsage());
  await animate(remote, false);

  // High-DPI viewer: the frames are asked for at twice the window's CSS size.
  const viewers = await browser.newContext({ viewport: { width: 1000, height: 680 }, deviceScaleFactor: 2 });

  // No token, or a wrong one: no page and no socket, so no frames.
  at('refusing viewers without the token');
  const bare = new URL(viewerUrl);
  bare.search = '';
  check((await fetch(bare)).status === 401, 'the viewer page without a token was served');
  const refused = await viewers.newPage();
  const wrong = new URL(viewerUrl);
  wrong.searchParams.set('token', 'wrong');
  check((await refused.goto(wrong.toString())).status() === 401, 'the viewer page with a wrong token was served');
  const wrongSocket = await refused.evaluate((url) => new Promise((resolve) => {
    const socket = new WebSocket(url);
    let messages = 0;
    socket.onmessage = () => { messages += 1; };
    socket.onclose = (event) => resolve({ code: event.code, messages });
  }), `ws://${wrong.host}/viewer/socket?token=wrong`);
  check(wrongSocket.messages === 0 && wrongSocket.code === 1006, `a wrong token got ${JSON.stringify(wrongSocket)}`);
  await refused.close();

  // The viewer: a frame arrives, and follows the page.
  at('opening the viewer, first frame, colours');
  const viewer = await viewers.newPage();
  const viewerSocket = watchSocket(viewer);
  const opened = Date.now();
  await viewer.goto(viewerUrl);
  await until(async () => (await frames(viewer)) > 0, 'no frame reached the viewer');
  bench.firstFrameMs = Date.now() - opened;
  const boxCentre = await toViewer(viewer, remoteSize, remoteSize.width * 0.75, remoteSize.height / 2);
  await colourShown(viewer, boxCentre, [255, 255, 255]);
  const shownGreen = colourShown(viewer, boxCentre, [0, 200, 0]);
  await remote.evaluate(() => { document.getElementById('box').style.background = 'rgb(0, 200, 0)'; });
  await shownGreen;

  // Which way a click through the viewer failed: the press lost, misplaced or doubled on its way to the page, or the
  // page changed and no frame showing it came. Made before the click; says what happened since.
  const pressReport = async (what) => {
    const pressed = await remote.evaluate(() => presses.length);
    return async () => {
      const page = await remote.evaluate((from) => ({
        presses: presses.slice(from),
        box: getComputedStyle(document.getElementById('box')).backgroundColor,
        focus: document.activeElement && document.activeElement.id,
      }), pressed);
      const now = Date.now();
      const sent = viewerSocket.input.map((m) => ({ ...m, at: m.at - now }));
      const last = viewerSocket.lastFrame;
      return `; ${what}: the page got ${page.presses.length} presses since (${JSON.stringify(page.presses)}), `
        + `its box is ${page.box}, the focus on "${page.focus}"; the viewer sent ${JSON.stringify(sent)} and got `
        + `${viewerSocket.frames} frames, the last ${last ? now - last.at : '-'} ms ago with metadata `
        + JSON.stringify(last && last.metadata);
    };
  };

  // A click at the button reaches the page; the page is asked through CDP.
  at('clicking through the viewer');
  const button = await remote.locator('#b').boundingBox();
  const buttonAt = await toViewer(viewer, remoteSize, button.x + button.width / 2, button.y + button.height / 2);
  const clickReport = await pressReport('the click');
  await viewer.mouse.click(buttonAt.x, buttonAt.y);
  await until(async () => (await remote.evaluate(() => window.clicks)) === 1,
    async () => `the click did not reach the page${await clickReport()}`);

  // On a phone: a tap is a click (touch → mouse), at the phone's pixel ratio.
  at('tapping from a phone viewer');
  const phones = await browser.newContext({ viewport: { width: 390, height: 700 }, deviceScaleFactor: 3,
    hasTouch: true, isMobile: true });
  const phone = await phones.newPage();
  await phone.goto(viewerUrl);
  await until(async () => (await frames(phone)) > 0, 'no frame reached the phone');
  const tapAt = await toViewer(phone, remoteSize, button.x + button.width / 2, button.y + button.height / 2);
  await phone.touchscreen.tap(tapAt.x, tapAt.y);
  await until(async () => (await remote.evaluate(() => window.clicks)) === 2, 'the tap did not reach the page');
  await phones.close();

  // Typing into the page's input, a shortcut (select all, then type over it) and a paste.
  at('typing and pasting through the viewer');
  const input = await remote.locator('#i').boundingBox();
  const inputAt = await toViewer(viewer, remoteSize, input.x + input.width / 2, input.y + input.height / 2);
  const focusReport = await pressReport('the click');
  await viewer.mouse.click(inputAt.x, inputAt.y);
  // Keys typed before the click has focused the input would go elsewhere: wait for the focus, as a person would.
  await until(async () => (await remote.evaluate(() => document.activeElement && document.activeElement.id)) === 'i',
    async () => `the click did not focus the input${await focusReport()}`);
  await viewer.keyboard.type('hello viewer');
  await until(async () => (await remote.inputValue('#i')) === 'hello viewer',
    async () => `typing did not reach the input (it holds "${await remote.inputValue('#i')}")`);
  await viewer.keyboard.press('Control+A');
  await viewer.keyboard.type('Typed');
  await viewer.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ' and pasted');
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  });
  await until(async () => (await remote.inputValue('#i')) === 'Typed and pasted',
    `shortcut and paste gave ${JSON.stringify(await remote.inputValue('#i'))}`);

  // Input is activity of its own kind (no CDP command in between).
  at('input reported as activity');
  await viewer.mouse.move(inputAt.x + 5, inputAt.y);
  await until(async () => (await activity(viewerUrl)).lastActivityKind === 'input', '/activity does not say input');

  // Latency: a change made through CDP until the viewer shows it, and a press in the viewer until it shows the result.
  at('timing page change and click to frame');
  const changeToFrame = [];
  for (let i = 0; i < SAMPLES; i++) {
    const colour = i % 2 ? [0, 200, 0] : [200, 0, 200];
    const shown = colourShown(viewer, boxCentre, colour);
    const sent = Date.now();
    await remote.evaluate((c) => { document.getElementById('box').style.background = `rgb(${c.join(',')})`; }, colour);
    changeToFrame.push((await shown) - sent);
  }
  const inputToFrame = [];
  await remote.evaluate(() => { document.getElementById('box').style.background = 'rgb(255, 0, 0)'; });
  await colourShown(viewer, boxCentre, [255, 0, 0]);
  for (let i = 0; i < SAMPLES; i++) {
    const colour = i % 2 ? [255, 0, 0] : [0, 0, 255];
    const shown = colourShown(viewer, boxCentre, colour, TIMEOUT, await pressReport(`click ${i + 1}`));
    const sent = Date.now();
    await viewer.mouse.click(boxCentre.x, boxCentre.y);
    inputToFrame.push((await shown) - sent);
  }
  bench.changeToFrameMs = { p50: percentile(changeToFrame, 50), p95: percentile(changeToFrame, 95) };
  bench.inputToFrameMs = { p50: percentile(inputToFrame, 50), p95: percentile(inputToFrame, 95) };

  // Frames per second while the page animates, and what the operator (the agents' process) spends meanwhile.
  await animate(remote, true);
  const framesBefore = await frames(viewer);
  const streamingBefore = operatorUsage();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const streamingAfter = operatorUsage();
  bench.framesPerSecond = Math.round(((await frames(viewer)) - framesBefore) / 5);
  await animate(remote, false);
  if (streamingBefore) {
    bench.operatorCpuPercent = { noViewer: cpuPercent(...noViewer), oneViewer: cpuPercent(streamingBefore, streamingAfter) };
    bench.operatorRssMiB = { noViewer: noViewer[1].rssMiB, oneViewer: streamingAfter.rssMiB };
  }

  // A new tab appears in the strip and is shown; the strip switches back.
  at('following a second tab');
  const second = await remoteContext.newPage();
  await second.goto(`${PAGE_URL}second`);
  const strip = async (error) => {
    throw new Error(`${error.message}; the strip: ${await viewer.innerHTML('#tabs')}; ${await viewer.textContent('#state')}`);
  };
  await viewer.waitForSelector('#tabs button[aria-selected="true"]:text("Second tab")', { timeout: TIMEOUT })
    .catch(strip);
  check(await viewer.locator('#tabs button').count() >= 2, 'the tab strip does not show both tabs');
  await viewer.click('#tabs button:text("Viewer test page")');
  await viewer.waitForSelector('#tabs button[aria-selected="true"]:text("Viewer test page")', { timeout: TIMEOUT })
    .catch(strip);
  if (SCREENSHOTS) {
    await viewer.mouse.move(buttonAt.x, buttonAt.y);
    const framesNow = await frames(viewer);
    await until(async () => (await frames(viewer)) > framesNow, 'no frame after switching back');
    await viewer.screenshot({ path: `${SCREENSHOTS}/viewer.png`, scale: 'css' });
  }

  // Watch-only: frames come, no input is sent, and input sent anyway is refused by the agent.
  const watchUrl = new URL(viewerUrl);
  watchUrl.searchParams.set('interactive', 'false');
  at('watch-only viewer');
  const watcher = await viewers.newPage();
  await watcher.goto(watchUrl.toString());
  await until(async () => (await frames(watcher)) > 0, 'no frame reached the watch-only viewer');
  check((await watcher.textContent('#state')).startsWith('Watch-only'), 'the watch-only viewer does not say so');
  const forced = await watcher.evaluate((url) => new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.onopen = () => socket.send(JSON.stringify({ type: 'mouse', event: 'mousePressed', x: 10, y: 10 }));
    socket.onclose = (event) => resolve({ code: event.code, reason: event.reason });
  }), `ws://${watchUrl.host}/viewer/socket?token=${watchUrl.searchParams.get('token')}&interactive=false`);
  check(forced.code === 1008 && forced.reason.includes('watch-only'), `forced input got ${JSON.stringify(forced)}`);
  await watcher.close();

  // Inactivity: the session driven only through the viewer stays; an idle one watched by a watch-only viewer ends.
  await driver.close();
  driver = null;
  at('the idle session and its inactivity timeout');
  const idle = await api('POST', '/v1/sessions', { timeout: 600000, inactivityTimeout: INACTIVITY_MS });
  console.log(`sessions: idle=${idle.id}`);
  const idleWatch = new URL(idle.sessionViewerUrl);
  idleWatch.searchParams.set('interactive', 'false');
  const idleWatcher = await viewers.newPage();
  await idleWatcher.goto(idleWatch.toString());
  // A session made through the API has no tab until a client opens one: the viewer says so.
  await idleWatcher.waitForSelector('#note:text("no tab open")', { timeout: TIMEOUT });
  check((await idleWatcher.textContent('#state')).startsWith('Watch-only'), 'the idle session\'s viewer is not open');
  const lastCdp = Date.now();
  let nudge = 0;
  await until(async () => {
    nudge += 1;
    await viewer.mouse.move(buttonAt.x + (nudge % 2) * 10, buttonAt.y);
    const idleState = (await api('GET', `/v1/sessions/${idle.id}`)).status;
    return idleState === 'released' && Date.now() - lastCdp > KEPT_ALIVE_MS + 3000;
  }, 'the idle session was not released, or the driven one not kept', 90000);
  const kept = await api('GET', `/v1/sessions/${session.id}`);
  check(kept.status === 'live', `the session driven through the viewer is ${kept.status}`);
  check((await activity(viewerUrl)).lastActivityKind === 'input', 'the last activity is not input');
  await idleWatcher.waitForSelector('#state.ended', { timeout: TIMEOUT });

  // The dashboard with live thumbnails.
  if (SCREENSHOTS) {
    const dashboard = await browser.newPage({ viewport: { width: 1100, height: 560 } });
    await dashboard.goto(`${BASE_URL}/dashboard/`);
    await dashboard.fill('#key', KEY);
    await dashboard.click('#sign-in button[type=submit]');
    await dashboard.waitForFunction((id) => {
      const image = document.querySelector(`tr[data-id="${id}"] img.thumb`);
      return image && image.complete && image.naturalWidth > 0;
    }, session.id, { timeout: TIMEOUT });
    await dashboard.screenshot({ path: `${SCREENSHOTS}/dashboard-live.png` });
  }
  console.log(`viewer-bench: ${JSON.stringify(bench)}`);
  console.log('viewer: all checks passed');
} catch (error) {
  console.error(`viewer: ${error.stack || error}`);
  exitCode = 1;
} finally {
  if (driver) {
    await driver.close();
  }
  await browser.close();
  pages.close();
}
process.exit(exitCode);
