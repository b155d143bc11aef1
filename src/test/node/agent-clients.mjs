// Two real puppeteer-core clients on one browser through the session agent at once, as two scripts of one user
// would: each opens a page, evaluates in it and screenshots it; the first also takes a screenshot of tens of MiB.
// Usage: node agent-clients.mjs <ws endpoint with ?token=>
// Prints one JSON line {"titles", "screenshotBytes" (one per client), "largeScreenshotBytes" (base64)} and exits 0;
// exits 1 on any failure.
import puppeteer from 'puppeteer-core';

const [endpoint] = process.argv.slice(2);
if (!endpoint) {
  console.error('usage: node agent-clients.mjs <ws endpoint>');
  process.exit(2);
}
// Random pixels do not compress: a 3000 x 3000 canvas of them is a PNG of about 27 MiB, 36 MiB in base64.
const NOISE = `<title>noise</title><canvas id=c width=3000 height=3000></canvas><script>
  const c = document.getElementById('c'), g = c.getContext('2d'), img = g.createImageData(3000, 3000);
  crypto.getRandomValues(new Uint8Array(img.data.buffer, 0, 65536));
  for (let i = 0; i < img.data.length; i += 65536) {
    crypto.getRandomValues(new Uint8Array(img.data.buffer, i, Math.min(65536, img.data.length - i)));
  }
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  g.putImageData(img, 0, 0);
</script>`;

const browsers = [];
try {
  const connect = () => puppeteer.connect({browserWSEndpoint: endpoint, protocolTimeout: 60_000});
  browsers.push(...await Promise.all([connect(), connect()]));
  const seen = await Promise.all(browsers.map(async (browser, i) => {
    const page = await browser.newPage();
    await page.goto(`data:text/html,<title>client ${i}</title>`);
    const title = await page.evaluate(() => document.title);
    const shot = await page.screenshot();
    await page.close();
    return {title, screenshotBytes: shot.length};
  }));
  const page = await browsers[0].newPage();
  await page.setViewport({width: 3000, height: 3000});
  await page.goto(`data:text/html,${encodeURIComponent(NOISE)}`);
  const large = await page.screenshot({encoding: 'base64'});
  await page.close();
  console.log(JSON.stringify({titles: seen.map(s => s.title), screenshotBytes: seen.map(s => s.screenshotBytes),
    largeScreenshotBytes: large.length}));
  await Promise.all(browsers.map(b => b.disconnect()));
  process.exit(0);
} catch (error) {
  console.error(`puppeteer clients through the agent failed: ${error?.stack ?? error}`);
  await Promise.all(browsers.map(b => b.disconnect().catch(() => {})));
  process.exit(1);
}
