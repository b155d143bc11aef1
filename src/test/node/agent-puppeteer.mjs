// Drives a browser through the session agent with the real puppeteer-core, as a user would.
// Usage: node agent-puppeteer.mjs <ws endpoint> [page url]
// The endpoint may carry ?token=; or set CDP_AUTHORIZATION (e.g. "Bearer <token>") to send it as a header,
// which keeps the token out of the process list.
// Prints one JSON line {"title", "url", "pages"} and exits 0; exits 1 on any failure.
import {inspect} from 'node:util';
import puppeteer from 'puppeteer-core';

const [endpoint, pageUrl = 'data:text/html,<title>agent-ok</title><p>hello'] = process.argv.slice(2);
if (!endpoint) {
  console.error('usage: node agent-puppeteer.mjs <ws endpoint> [page url]');
  process.exit(2);
}
const authorization = process.env.CDP_AUTHORIZATION;

let browser;
try {
  browser = await puppeteer.connect({
    browserWSEndpoint: endpoint,
    headers: authorization ? {Authorization: authorization} : undefined,
    protocolTimeout: 20_000,
  });
  const page = await browser.newPage();
  await page.goto(pageUrl, {timeout: 20_000});
  const title = await page.evaluate(() => document.title);
  const pages = (await browser.pages()).length;
  await page.close();
  console.log(JSON.stringify({title, url: page.url(), pages}));
  await browser.disconnect();
  process.exit(0);
} catch (error) {
  // A refused WebSocket upgrade surfaces as an ErrorEvent, not an Error: keep its message either way.
  const detail = error instanceof Error ? error.stack : (error?.message ?? inspect(error));
  console.error(`puppeteer through the agent failed: ${detail}`);
  if (browser) {
    await browser.disconnect().catch(() => {});
  }
  process.exit(1);
}
