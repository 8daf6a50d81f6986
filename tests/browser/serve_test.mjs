// Opens `growth-plan serve` in Debian's headless Chromium (never a browser
// download), waits for the newcomer popup, presses keys into the self-test,
// switches to Chinese, and saves screenshots. The terminal is drawn on a
// canvas, so the text is read from the websocket frames the app sends.
//
// Env: GP_URL (the served page), GP_SHOT (screenshot path, .png).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const url = process.env.GP_URL;
const shot = process.env.GP_SHOT ?? "browser.png";
const TIMEOUT = 30_000;

const profile = mkdtempSync(join(tmpdir(), "gp-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let screen = "";
const ESCAPES = /\x1b\[[0-9;?<>=]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]/g;

function waitForText(pattern, from) {
  const deadline = Date.now() + TIMEOUT;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const seen = screen.slice(from);
      if (pattern.test(seen)) return resolve();
      if (Date.now() > deadline) {
        const tail = seen.slice(-400).replace(/\s+/g, " ");
        return reject(new Error(`timed out waiting for ${pattern}; last: ${tail}`));
      }
      setTimeout(poll, 100);
    };
    poll();
  });
}

try {
  const page = await context.newPage();
  // Only this machine's server: the page also asks a web font host, which
  // is blocked so that the test never touches the network.
  await page.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost"
      ? route.continue()
      : route.abort();
  });
  page.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => {
      const text = typeof payload === "string" ? payload : payload.toString("utf8");
      screen += text.replace(ESCAPES, " ");
    });
  });

  await page.goto(url, { waitUntil: "domcontentloaded", timeout: TIMEOUT });
  await waitForText(/Newcomer growth/, 0);
  console.log("ok: the newcomer popup shows");

  await page.focus(".xterm-helper-textarea");
  let mark = screen.length;
  await page.keyboard.press("s"); // "Start self-test"
  await waitForText(/Self-test|self_test/, mark);
  mark = screen.length;
  await page.keyboard.press("b"); // answer the first question
  await waitForText(/1 answered|已答 1/, mark);
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot });
  console.log("ok: the self-test opened and took an answer; screenshot " + shot);

  mark = screen.length;
  await page.keyboard.press("F2"); // live switch to Chinese
  await waitForText(/自测/, mark);
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot.replace(/\.png$/, "-zh.png") });
  console.log("ok: Chinese renders");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
