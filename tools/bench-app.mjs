// The app's browser benchmark: the model's generated 2,000-entry dossier
// (10,428 commits, the same seed as `cargo bench --bench model`) stored in
// IndexedDB, opened in headless Chromium from the release build served by
// the real relay. Prints, per CPU speed (1x and 4x throttled, a phone):
//
//   - navigation start -> first paint of the logbook list (the app's own
//     `logbook-painted` mark, taken in the frame the first rows render);
//   - committing one entry (the `driehoek-commit` measure: command, finding
//     the touched sections, notifying them) and click -> new row painted;
//   - keystroke -> next frame while typing a new entry (real key events;
//     includes the wait for the display's next frame), and the app's own
//     work per keystroke (handler, reactive updates, starting the draft
//     write), measured without the browser's input pipeline.
//
// Usage: node tools/bench-app.mjs  (after `make build`; see BENCHMARKS.md)
import { startRelay, launchBrowser, sampleDossier, plantDossier } from "../tests/e2e/harness.mjs";

const DOSSIER = "sample-2000";
const RUNS = Number(process.env.RUNS ?? 5);
const KEYSTROKES = 60;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}

const fmt = (s) =>
  `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})`;

async function firstPaint(page, url) {
  // Leave the previous page first: a page still busy loading would hold up
  // the next navigation and count against it.
  await page.goto("about:blank");
  await page.waitForTimeout(200);
  await page.goto(`${url}/d/${DOSSIER}`);
  await page.waitForFunction(() => performance.getEntriesByName("logbook-painted").length > 0, null, {
    timeout: 60_000,
  });
  return page.evaluate(() => {
    const painted = performance.getEntriesByName("logbook-painted")[0].startTime;
    const rows = document.querySelectorAll("[data-testid=entry-row]").length;
    const at = (name) => performance.getEntriesByName(name)[0];
    const parts = {
      wasmStarted: at("driehoek-app:start")?.startTime,
      open: at("driehoek-open")?.duration,
      openEnd: at("driehoek-open") ? at("driehoek-open").startTime + at("driehoek-open").duration : undefined,
      viewHit: at("driehoek-view-hit:start")?.startTime,
      viewMiss: at("driehoek-view-miss:start")?.startTime,
    };
    return { painted, rows, parts };
  });
}

async function commitOne(page, n) {
  await page.getByTestId("entry-body").fill(`Benchmark entry ${n}`);
  const before = await page.getByTestId("entry-count").textContent();
  const t0 = await page.evaluate(() => {
    performance.clearMeasures("driehoek-commit");
    window.__clicked = performance.now();
    return window.__clicked;
  });
  await page.getByTestId("save-entry").click();
  await page.waitForFunction(
    (b) => document.querySelector("[data-testid=entry-count]")?.textContent !== b,
    before,
    { timeout: 30_000 },
  );
  return page.evaluate(
    () =>
      new Promise((done) =>
        requestAnimationFrame(() =>
          setTimeout(() => {
            const commit = performance.getEntriesByName("driehoek-commit")[0]?.duration ?? NaN;
            done({ commit, toPaint: performance.now() - window.__clicked });
          }, 0),
        ),
      ),
  );
}

async function typing(page) {
  const box = page.getByTestId("entry-body");
  await box.fill("");
  await box.focus();
  await page.evaluate(() => {
    window.__keys = [];
    const el = document.querySelector("[data-testid=entry-body]");
    el.addEventListener("keydown", (e) => {
      const t0 = e.timeStamp;
      // The frame after the input was handled: rAF runs before paint,
      // the task queued from it runs after that frame was produced. This
      // includes waiting for the display's next frame (up to 16.7 ms).
      requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0), 0));
    });
    // The app's work for one keystroke (its input handler, the reactive
    // updates and the draft write it starts), without the wait for a frame:
    // a task queued after the input event runs once all of that is done.
  });
  const text = "Noor vond vandaag een slak in de tuin en wilde weten wat hij eet.";
  for (const ch of text.slice(0, KEYSTROKES)) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300);
  // The app's own work per keystroke, without the browser's input
  // pipeline or the wait for a frame: an input event dispatched from the
  // page runs the app's handler synchronously; the reactive updates and
  // the draft write it starts run as microtasks, awaited here too.
  const work = await page.evaluate(async (text) => {
    const el = document.querySelector("[data-testid=entry-body]");
    const out = [];
    for (const ch of text) {
      const t0 = performance.now();
      el.value += ch;
      el.dispatchEvent(new InputEvent("input", { bubbles: true, data: ch, inputType: "insertText" }));
      await Promise.resolve();
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  }, text.slice(0, KEYSTROKES));
  return page.evaluate((work) => ({ toFrame: window.__keys, work }), work);
}

async function main() {
  const bytes = sampleDossier();
  const relay = await startRelay();
  const browser = await launchBrowser();
  try {
    for (const rate of [1, 4]) {
      const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await page.goto(`${relay.url}/`);
      await plantDossier(page, bytes, DOSSIER);
      // Warm the HTTP and service worker caches as an installed app has,
      // and let the page keep its view for the next start (it does so a
      // second after the logbook last changed).
      await firstPaint(page, relay.url);
      await page.waitForTimeout(2_000);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate });
      const paints = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await firstPaint(page, relay.url);
        paints.push(r.painted);
        rows = r.rows;
        if (process.env.VERBOSE) console.log(JSON.stringify(r.parts));
      }
      const commits = [];
      const toPaint = [];
      for (let i = 0; i < RUNS; i++) {
        const c = await commitOne(page, i);
        commits.push(c.commit);
        toPaint.push(c.toPaint);
      }
      const keys = await typing(page);
      console.log(`CPU ${rate}x (${rate === 1 ? "this machine" : "throttled like a phone"}):`);
      console.log(`  navigation -> logbook list painted: ${fmt(stats(paints))}; ${rows} rows in the DOM`);
      console.log(`  commit one entry:                   ${fmt(stats(commits))}`);
      console.log(`  save click -> new row painted:      ${fmt(stats(toPaint))}`);
      console.log(`  keystroke -> next frame painted:    ${fmt(stats(keys.toFrame))}`);
      console.log(`  the app's work per keystroke:       ${fmt(stats(keys.work))}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await relay.stop();
  }
}

await main();
