// Every route of the app, with the real relay on 127.0.0.1, once for a
// dossier that was just made (empty) and once for one with 2,000 logbook
// entries and every other section filled: each page shows what it is
// about, and nothing is reported as an error in the console.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  APP_ROUTES,
  DOSSIER_ROUTES,
  launchBrowser,
  makeDossier,
  plantDossier,
  sampleDossier,
  startRelay,
  STEP_MS,
} from "./harness.mjs";

const SAMPLE_ID = "sample-2000";

describe("every route renders", { timeout: 300_000 }, () => {
  let relay;
  let browser;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  /// A page that collects console errors and uncaught exceptions.
  async function watchedPage(context) {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    const problems = [];
    page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    return { page, problems };
  }

  async function visitAll(page, problems, base, count) {
    for (const [path, shows] of DOSSIER_ROUTES) {
      await page.goto(`${relay.url}/d/${base}${path}`);
      await page.locator(shows).first().waitFor();
      if (path === "") {
        await page.waitForFunction(
          (n) => document.querySelector("[data-testid=entry-count]")?.textContent === String(n),
          count,
          { timeout: STEP_MS },
        );
      }
      assert.deepEqual(problems, [], `${path || "/"}`);
    }
    for (const [path, shows] of APP_ROUTES) {
      await page.goto(`${relay.url}${path}`);
      await page.locator(shows).first().waitFor();
      assert.deepEqual(problems, [], path);
    }
  }

  test("with a dossier that was just made", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const { page, problems } = await watchedPage(context);
      await page.goto(`${relay.url}/`);
      const id = await makeDossier(page);
      await page.getByTestId("empty-logbook").waitFor();
      await visitAll(page, problems, id, 0);
    } finally {
      await context.close();
    }
  });

  test("with a dossier of 2,000 entries", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, problems } = await watchedPage(context);
      await page.goto(`${relay.url}/`);
      await plantDossier(page, sampleDossier(), SAMPLE_ID);
      await visitAll(page, problems, SAMPLE_ID, 2000);
      // The list of dossiers says, without opening it, how big it is and
      // when it last changed.
      await page.goto(`${relay.url}/`);
      const row = page.getByTestId("dossier-row").filter({ hasText: "Noor" });
      assert.match(await row.innerText(), /2000 logboekberichten · laatst bijgewerkt \d{1,2} \p{L}+ \d{4}/u);
      // The windowed list keeps the DOM small, and a filter works on all
      // 2,000 entries.
      await page.goto(`${relay.url}/d/${SAMPLE_ID}`);
      await page.getByTestId("logbook-list").waitFor();
      const rows = await page.getByTestId("entry-row").count();
      assert.ok(rows > 0 && rows < 60, `${rows} rows in the DOM`);
      await page.getByTestId("filter-author").selectOption("child");
      await page.getByTestId("filter-shown").waitFor();
      const shown = await page.getByTestId("filter-shown").innerText();
      const [n, m] = shown.match(/\d+/g).map(Number);
      assert.equal(m, 2000, shown);
      assert.ok(n > 0 && n < 2000, shown);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
