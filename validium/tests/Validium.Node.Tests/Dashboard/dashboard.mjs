// Drives the operator dashboard in headless Chromium for DashboardBrowserTests.
// Usage: node dashboard.mjs <dashboard url> <user data dir> <screenshot path>
// Talks over stdio: prints "SEEN <json>" once the book and batch rows are shown, waits for a line "stopped" on
// stdin (the test stopped the server), then prints "ERROR <json>" once the page shows its error state.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");
const [url, userDataDir, screenshot] = process.argv.slice(2);

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
try {
  const page = context.pages()[0] ?? await context.newPage();
  const scriptErrors = [];
  page.on("pageerror", (e) => scriptErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("#book-0 tr.ask", { timeout: 20000 });
  await page.waitForSelector("#batches tr.batch[data-number='1'] td.Proven", { timeout: 20000 });
  await page.waitForSelector("#status.ok", { timeout: 20000 });
  const cells = (sel) => page.$$eval(sel, (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
  const seen = {
    status: await page.textContent("#status"),
    updated: await page.textContent("#updated"),
    bids: await cells("#book-0 tr.bid"),
    asks: await cells("#book-0 tr.ask"),
    trades: await cells("#book-0 tr.trade"),
    batches: await cells("#batches tr.batch"),
    members: await page.$$eval("#committee li.member", (li) => li.map((x) => ({ text: x.textContent, light: x.querySelector(".light").className }))),
    // Markup in data must arrive as text: no element the node did not write may appear.
    injected: await page.$$eval("#books b, #books script, #committee b, #committee img", (x) => x.length),
    scriptErrors,
  };
  console.log("SEEN " + JSON.stringify(seen));
  const reply = await lines.next();
  if (reply.done || reply.value.trim() !== "stopped") throw new Error("expected 'stopped' on stdin, got " + JSON.stringify(reply.value));
  await page.waitForSelector("#status.error", { timeout: 20000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log("ERROR " + JSON.stringify({ status: await page.textContent("#status"), stale: await page.evaluate(() => document.body.classList.contains("stale")), scriptErrors }));
} finally {
  await context.close();
}
process.exit(0);
