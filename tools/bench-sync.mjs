// Sync latency in the browser: an entry saved on device A (a phone-sized
// browser context) until its row is in the DOM of device B (a second
// context, its own profile), through the real relay on 127.0.0.1 serving
// the release build. Both pages stamp times on the same clock
// (`performance.timeOrigin + performance.now()`): A at the click on
// "save", B in the MutationObserver callback that sees the row.
//
// Usage: node tools/bench-sync.mjs  (after `make build`; or `make bench-sync`)
// SAVES=100 for more samples.
import { launchBrowser, openAppAt, startRelay } from "../tests/e2e/harness.mjs";

const SAVES = Number(process.env.SAVES ?? 50);
const STEP_MS = 15_000;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}

const fmt = (s) =>
  `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})`;

async function main() {
  const relay = await startRelay();
  const browser = await launchBrowser();
  try {
    const a = await openAppAt(await browser.newContext({ viewport: { width: 412, height: 915 } }), relay.url);
    await a.page.getByTestId("start-create").click();
    const form = a.page.getByTestId("new-dossier-form");
    await form.getByTestId("child-name").fill("Noor");
    await form.getByTestId("group").fill("groep 5");
    await form.getByTestId("my-name").fill("Mama");
    await form.getByTestId("create-dossier").click();
    await a.page.waitForURL(/\/d\/[^/]+$/);
    await a.page.getByTestId("new-entry-form").waitFor();
    const id = new URL(a.page.url()).pathname.split("/")[2];
    await a.page.waitForFunction(
      () => document.querySelector("[data-testid=sync-status]")?.dataset.sync === "up-to-date",
      null,
      { timeout: STEP_MS },
    );
    const secret = await a.page.evaluate(async (dossier) => {
      const db = await new Promise((ok, fail) => {
        const open = indexedDB.open("driehoek");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const value = await new Promise((ok, fail) => {
        const get = db.transaction("entries").objectStore("entries").get(`sync/${dossier}`);
        get.onsuccess = () => ok(get.result);
        get.onerror = () => fail(get.error);
      });
      return JSON.parse(new TextDecoder().decode(value)).secret;
    }, id);
    const link = `/#join=${Buffer.from(secret, "hex").toString("base64url")}`;
    const b = await openAppAt(await browser.newContext({ viewport: { width: 1280, height: 800 } }), relay.url, link);
    await b.page.getByTestId("new-person-form").waitFor({ timeout: STEP_MS });
    await b.page.evaluate(() => {
      window.__seen = {};
      new MutationObserver(() => {
        for (const el of document.querySelectorAll(".entry-preview")) {
          const m = el.textContent.match(/^bench (\d+)$/);
          if (m && !(m[1] in window.__seen)) {
            window.__seen[m[1]] = performance.timeOrigin + performance.now();
          }
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await a.page.evaluate(() => {
      window.__clicked = 0;
      document.addEventListener(
        "click",
        (e) => {
          if (e.target.closest("[data-testid=save-entry]")) {
            window.__clicked = performance.timeOrigin + performance.now();
          }
        },
        { capture: true },
      );
    });
    const latencies = [];
    // One warm-up save, not counted.
    for (let n = 0; n <= SAVES; n++) {
      const entry = a.page.getByTestId("new-entry-form");
      await entry.locator("button.kind[data-kind=discovery]").click();
      await entry.getByTestId("entry-body").fill(`bench ${n}`);
      await entry.getByTestId("save-entry").click();
      const seen = await b.page.waitForFunction((k) => window.__seen[k], String(n), { timeout: STEP_MS });
      const clicked = await a.page.evaluate(() => window.__clicked);
      if (n > 0) latencies.push((await seen.jsonValue()) - clicked);
    }
    console.log(`edit on A -> row on B through the relay: ${fmt(stats(latencies))}`);
  } finally {
    await browser.close();
    await relay.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
