// Playwright's chromium.connectOverCDP through the session agent, as a user's script would.
// Usage: node agent-playwright.mjs <ws endpoint with ?token=> [page url]
// Prints one JSON line {"title", "value"} and exits 0; exits 1 on any failure.
import {chromium} from 'playwright-core';

const [endpoint, pageUrl = 'data:text/html,<title>playwright-ok</title>'] = process.argv.slice(2);
if (!endpoint) {
  console.error('usage: node agent-playwright.mjs <ws endpoint> [page url]');
  process.exit(2);
}
try {
  const browser = await chromium.connectOverCDP(endpoint, {timeout: 20_000});
  const context = browser.contexts()[0] ?? await browser.newContext();
  const page = await context.newPage();
  await page.goto(pageUrl, {timeout: 20_000});
  const title = await page.title();
  const value = await page.evaluate(() => 6 * 7);
  await page.close();
  console.log(JSON.stringify({title, value}));
  // Exiting drops the connection; browser.close() could end the browser other clients share.
  process.exit(0);
} catch (error) {
  console.error(`playwright through the agent failed: ${error?.stack ?? error}`);
  process.exit(1);
}
