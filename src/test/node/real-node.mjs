// The client side of e2e/real-node.sh: drives a session pod's browser through its agent with the real puppeteer-core.
// Usage:
//   node real-node.mjs connect <ws url with token>           a page, an evaluation; times them
//   node real-node.mjs refused <ws url without token>        the agent must refuse the WebSocket and /json/version
//   node real-node.mjs playwright <ws url with token>        the same with playwright-core (connectOverCDP)
//   node real-node.mjs screenshot <ws url with token> <MiB>  PNG screenshots of random pixels whose CDP answer is
//                                                            about 1, 2, 4 ... MiB and <MiB>; all must pass
//   node real-node.mjs oversize <ws url with token> <MiB>    one screenshot answer of about <MiB>: its connection must
//                                                            close, and a new connection must still drive the browser
//   node real-node.mjs crash <ws url with token>             crashes the browser (CDP Browser.crash)
// Prints one JSON line and exits 0; exits 1 with a message on stderr when a check fails.
import {inspect} from 'node:util';
import {chromium} from 'playwright-core';
import puppeteer from 'puppeteer-core';

const [command, endpoint, arg] = process.argv.slice(2);
if (!command || !endpoint) {
  console.error('usage: node real-node.mjs connect|playwright|refused|screenshot|oversize|crash <ws url> [MiB]');
  process.exit(2);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function describe(error) {
  // A refused WebSocket upgrade surfaces as an ErrorEvent, not an Error: keep its message either way.
  return error instanceof Error ? error.message : (error?.message ?? inspect(error));
}

async function connect(url) {
  return puppeteer.connect({browserWSEndpoint: url, protocolTimeout: 60_000, defaultViewport: null});
}

async function connectAndEvaluate() {
  const started = performance.now();
  const browser = await connect(endpoint);
  const connected = performance.now();
  const page = await browser.newPage();
  await page.goto('data:text/html,<title>real-node</title><p>hello', {timeout: 20_000});
  const title = await page.evaluate(() => document.title);
  const evaluated = performance.now();
  const version = await browser.version();
  await page.close();
  await browser.disconnect();
  if (title !== 'real-node') {
    fail(`the page's title is ${JSON.stringify(title)}`);
  }
  return {
    connectMs: Math.round(connected - started),
    newPageGotoEvaluateMs: Math.round(evaluated - connected),
    version,
  };
}

async function playwrightEvaluate() {
  const started = performance.now();
  const browser = await chromium.connectOverCDP(endpoint, {timeout: 20_000});
  const connected = performance.now();
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  await page.goto('data:text/html,<title>real-node</title><p>hello', {timeout: 20_000});
  const title = await page.title();
  const evaluated = performance.now();
  await page.close();
  await browser.close();
  if (title !== 'real-node') {
    fail(`the page's title is ${JSON.stringify(title)}`);
  }
  return {connectMs: Math.round(connected - started), newPageGotoTitleMs: Math.round(evaluated - connected)};
}

async function refused() {
  const http = endpoint.replace(/^ws:/, 'http:').replace(/\/devtools\/.*$/, '/json/version');
  const status = (await fetch(http)).status;
  if (status !== 401) {
    fail(`GET ${http} without the token answered ${status}, not 401`);
  }
  try {
    const browser = await connect(endpoint);
    await browser.disconnect();
  } catch (error) {
    const message = describe(error);
    if (!message.includes('401')) {
      fail(`the WebSocket without the token failed, but not with 401: ${message}`);
    }
    return {http: status, webSocket: 401};
  }
  fail('the agent let a WebSocket in without the token');
}

// Random pixels do not compress: a PNG of w x h opaque pixels is about 3wh bytes, its base64 in the CDP answer 4wh.
async function screenshotOf(page, mib) {
  const width = 2048;
  const height = Math.ceil((mib * 1024 * 1024) / 4 / width);
  await page.setViewport({width, height});
  await page.setContent('<body style="margin:0"><canvas id="c"></canvas></body>');
  await page.evaluate((w, h) => {
    const canvas = document.getElementById('c');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d');
    const image = context.createImageData(w, h);
    const chunk = new Uint8Array(65536);
    for (let offset = 0; offset < image.data.length; offset += chunk.length) {
      crypto.getRandomValues(chunk);
      image.data.set(chunk.subarray(0, Math.min(chunk.length, image.data.length - offset)), offset);
    }
    for (let i = 3; i < image.data.length; i += 4) {
      image.data[i] = 255;
    }
    context.putImageData(image, 0, 0);
  }, width, height);
  const started = performance.now();
  const base64 = await page.screenshot({encoding: 'base64', type: 'png'});
  return {targetMiB: mib, answerBytes: base64.length, ms: Math.round(performance.now() - started)};
}

async function screenshots(maxMiB) {
  const sizes = [];
  for (let mib = 1; mib < maxMiB; mib *= 2) {
    sizes.push(mib);
  }
  sizes.push(maxMiB);
  const browser = await connect(endpoint);
  const page = await browser.newPage();
  const passed = [];
  try {
    for (const mib of sizes) {
      try {
        passed.push(await screenshotOf(page, mib));
      } catch (error) {
        fail(`a screenshot of about ${mib} MiB did not pass: ${describe(error)}; passed: ${JSON.stringify(passed)}`);
      }
    }
  } finally {
    await browser.disconnect().catch(() => {});
  }
  return {passed, largestAnswerBytes: passed[passed.length - 1].answerBytes};
}

async function oversize(mib) {
  const browser = await connect(endpoint);
  const page = await browser.newPage();
  let closed;
  try {
    const answer = await screenshotOf(page, mib);
    fail(`a screenshot answer of ${answer.answerBytes} bytes passed the agent`);
  } catch (error) {
    closed = describe(error);
  } finally {
    await browser.disconnect().catch(() => {});
  }
  // Only that connection closed: the browser is there for the next one.
  const after = await connectAndEvaluate();
  return {oversizeMiB: mib, closed, thenConnected: after};
}

async function crash() {
  const browser = await connect(endpoint);
  const session = await browser.target().createCDPSession();
  // The browser process dies on its main thread; the answer never comes.
  session.send('Browser.crash').catch(() => {});
  await new Promise((resolve) => browser.once('disconnected', resolve));
  return {crashed: true};
}

try {
  let result;
  switch (command) {
    case 'connect':
      result = await connectAndEvaluate();
      break;
    case 'playwright':
      result = await playwrightEvaluate();
      break;
    case 'refused':
      result = await refused();
      break;
    case 'screenshot':
      result = await screenshots(Number(arg ?? 32));
      break;
    case 'oversize':
      result = await oversize(Number(arg ?? 96));
      break;
    case 'crash':
      result = await crash();
      break;
    default:
      fail(`unknown command ${command}`);
  }
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (error) {
  fail(`${command} through the agent failed: ${error instanceof Error ? error.stack : describe(error)}`);
}
