// Two devices, one dossier, the real relay on 127.0.0.1: a parent's phone
// (device A) and a teacher's laptop (device B) are two browser contexts,
// each its own profile. They write while cut off, reconnect, and must show
// the same logbook; the relay is killed without warning and restarted, and
// nothing it acknowledged is lost.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AXE, axeProblems, launchBrowser, openAppAt, startRelay, STEP_MS } from "./harness.mjs";

/// From a save on one device to the row on the other, through the relay,
/// on a loaded test machine; the measured time is printed.
const SYNC_LIMIT_MS = 15_000;

/// Screenshots to look at, kept out of git.
const SHOTS = new URL("../../target/e2e-screens", import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

describe("sync between two devices", { timeout: 240_000 }, () => {
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

  async function createDossier(page, child) {
    await page.getByTestId("start-create").click();
    const form = page.getByTestId("new-dossier-form");
    await form.getByTestId("child-name").fill(child);
    await form.getByTestId("group").fill("groep 5");
    await form.getByTestId("my-name").fill("Mama");
    await form.getByTestId("create-dossier").click();
    await page.waitForURL(/\/d\/[^/]+$/);
    await page.getByTestId("new-entry-form").waitFor();
    return new URL(page.url()).pathname.split("/")[2];
  }

  /// The invite link of a dossier, as the invite screen will show it: the
  /// secret is read from the device's own storage.
  async function inviteLink(page, id) {
    const secretHex = await page.evaluate(async (dossier) => {
      const db = await new Promise((ok, fail) => {
        const open = indexedDB.open("driehoek");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const limit = Date.now() + 15_000;
      while (Date.now() < limit) {
        const value = await new Promise((ok, fail) => {
          const get = db.transaction("entries").objectStore("entries").get(`sync/${dossier}`);
          get.onsuccess = () => ok(get.result);
          get.onerror = () => fail(get.error);
        });
        if (value) {
          const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
          return JSON.parse(new TextDecoder().decode(bytes)).secret;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    }, id);
    assert.ok(secretHex, "the dossier has a sync record with its secret");
    return `/#join=${Buffer.from(secretHex, "hex").toString("base64url")}`;
  }

  async function saveEntry(page, text) {
    await page.bringToFront();
    const form = page.getByTestId("new-entry-form");
    await form.locator("button.kind[data-kind=discovery]").click();
    await form.getByTestId("entry-body").fill(text);
    await form.getByTestId("save-entry").click();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=entry-body]")?.value === "",
    );
  }

  async function waitForSync(page, state, timeout = SYNC_LIMIT_MS) {
    await page.waitForFunction(
      (s) => document.querySelector("[data-testid=sync-status]")?.dataset.sync === s,
      state,
      { timeout },
    );
  }

  async function waitForText(page, text, timeout = SYNC_LIMIT_MS) {
    await page.bringToFront();
    await page.locator(".entry-preview", { hasText: text }).first().waitFor({ timeout });
  }

  async function bodies(page) {
    const all = await page.locator("[data-testid=entry-row] .entry-preview").allTextContents();
    return all.map((t) => t.trim()).sort();
  }

  /// A starts a dossier, B joins it as the teacher; both up to date.
  async function twoDevices(parentPhone, teacherLaptop, child) {
    const a = await openAppAt(parentPhone, relay.url, "/");
    const id = await createDossier(a.page, child);
    await waitForSync(a.page, "up-to-date");
    const link = await inviteLink(a.page, id);
    const b = await openAppAt(teacherLaptop, relay.url, link);
    await b.page.waitForURL(/\/d\/[0-9a-f]{32}$/, { timeout: STEP_MS });
    const joinForm = b.page.getByTestId("new-person-form");
    await joinForm.getByTestId("new-person-name").fill("Juf Anna");
    await joinForm.locator("input[data-role=teacher]").check();
    await joinForm.getByTestId("new-person-join").click();
    await b.page.getByTestId("new-entry-form").waitFor();
    await waitForSync(b.page, "up-to-date");
    await waitForSync(a.page, "up-to-date");
    return { a, b, link };
  }

  test("with the relay stopped, a sync file carries an entry from one device to the other; a damaged or foreign file changes nothing", async () => {
    const parentPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const teacherLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const work = mkdtempSync(join(tmpdir(), "driehoek-syncfile-"));
    try {
      const { a, b } = await twoDevices(parentPhone, teacherLaptop, "Sem");
      await relay.kill();
      await waitForSync(a.page, "offline");
      await saveEntry(a.page, "Via het bestand: Sem las een boek over vulkanen");

      const [download] = await Promise.all([
        a.page.waitForEvent("download"),
        a.page.getByTestId("export-sync-file").click(),
      ]);
      assert.match(download.suggestedFilename(), /^Sem\.driehoek-sync$/);
      const file = join(work, "sem.driehoek-sync");
      await download.saveAs(file);
      const bytes = readFileSync(file);
      assert.ok(!bytes.includes("vulkanen"), "the sync file is encrypted");

      // A damaged copy and a file that is no sync file change nothing.
      const damaged = Buffer.from(bytes);
      damaged[damaged.length - 20] ^= 1;
      writeFileSync(join(work, "damaged.driehoek-sync"), damaged);
      writeFileSync(join(work, "notes.txt"), "boodschappen: melk, brood");
      await b.page.bringToFront();
      const before = await bodies(b.page);
      await b.page.getByTestId("import-sync-file").setInputFiles(join(work, "damaged.driehoek-sync"));
      await b.page.getByTestId("files-error").waitFor();
      await b.page.getByTestId("import-sync-file").setInputFiles(join(work, "notes.txt"));
      await b.page.getByTestId("files-error").filter({ hasText: /sync/i }).waitFor();
      assert.deepEqual(await bodies(b.page), before);

      // The real file brings the entry over.
      await b.page.getByTestId("import-sync-file").setInputFiles(file);
      await b.page.getByTestId("files-status").waitFor();
      await waitForText(b.page, "Via het bestand: Sem las een boek over vulkanen");

      // The open archive is offered too, and is what it says.
      const [archive] = await Promise.all([
        a.page.waitForEvent("download"),
        a.page.getByTestId("export-json").click(),
      ]);
      const json = join(work, "sem.json");
      await archive.saveAs(json);
      assert.ok(readFileSync(json, "utf8").includes("vulkanen"), "the JSON archive is readable");

      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await relay.restart();
      await parentPhone.close();
      await teacherLaptop.close();
    }
  });

  test("two devices write while cut off, reconnect, and show the same logbook; a killed relay loses nothing it acknowledged", async () => {
    const parentPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const teacherLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      // The parent starts the dossier; it reaches the relay.
      const a = await openAppAt(parentPhone, relay.url, "/");
      const id = await createDossier(a.page, "Noor");
      await waitForSync(a.page, "up-to-date");
      await saveEntry(a.page, "Noor bouwde een brug van papier");
      await waitForSync(a.page, "up-to-date");

      // The teacher opens the invite link on the laptop and joins.
      const link = await inviteLink(a.page, id);
      const b = await openAppAt(teacherLaptop, relay.url, link);
      await b.page.waitForURL(/\/d\/[0-9a-f]{32}$/, { timeout: STEP_MS });
      assert.ok(!b.page.url().includes("#"), "the secret left the address bar");
      await b.page.locator("h1[data-testid=child-name]", { hasText: "Noor" }).waitFor({
        timeout: SYNC_LIMIT_MS,
      });
      await waitForText(b.page, "Noor bouwde een brug van papier");
      const joinForm = b.page.getByTestId("new-person-form");
      await joinForm.getByTestId("new-person-name").fill("Juf Anna");
      await joinForm.locator("input[data-role=teacher]").check();
      await joinForm.getByTestId("new-person-join").click();
      await b.page.getByTestId("new-entry-form").waitFor();
      await waitForSync(b.page, "up-to-date");

      // A save on the laptop shows on the phone through the relay.
      const started = Date.now();
      await saveEntry(b.page, "In de klas vertelde Noor over bruggen");
      await waitForText(a.page, "In de klas vertelde Noor over bruggen");
      console.log(`# save on B to row on A through the relay: ${Date.now() - started} ms`);

      // The relay goes away without warning: both write on, offline.
      await relay.kill();
      await waitForSync(a.page, "offline");
      await waitForSync(b.page, "offline");
      await saveEntry(a.page, "Thuis: Noor wil meer weten over de Erasmusbrug");
      await saveEntry(b.page, "Op school: Noor gaf een spreekbeurt");
      await saveEntry(a.page, "Thuis: samen een hangbrug getekend");

      // It comes back: both reconnect by themselves and merge.
      await relay.restart();
      await waitForText(a.page, "Op school: Noor gaf een spreekbeurt", 45_000);
      await waitForText(b.page, "Thuis: samen een hangbrug getekend", 45_000);
      await waitForText(b.page, "Thuis: Noor wil meer weten over de Erasmusbrug");
      await waitForSync(a.page, "up-to-date");
      await waitForSync(b.page, "up-to-date");
      const onA = await bodies(a.page);
      const onB = await bodies(b.page);
      assert.equal(onA.length, 5);
      assert.deepEqual(onA, onB, "both devices show the same logbook");

      // Killed mid-session again: what it acknowledged survives a restart,
      // as a third device that joins afterwards sees.
      await relay.kill();
      await relay.restart();
      const thirdDevice = await browser.newContext();
      try {
        const c = await openAppAt(thirdDevice, relay.url, link);
        await c.page.waitForURL(/\/d\/[0-9a-f]{32}$/, { timeout: STEP_MS });
        await waitForText(c.page, "Thuis: samen een hangbrug getekend", 45_000);
        await c.page.waitForFunction(
          () => document.querySelectorAll("[data-testid=entry-row] .entry-preview").length === 5,
          null,
          { timeout: SYNC_LIMIT_MS },
        );
        assert.deepEqual(await bodies(c.page), onA);
        assert.deepEqual(c.errors, []);
      } finally {
        await thirdDevice.close();
      }
      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await parentPhone.close();
      await teacherLaptop.close();
    }
  });

  /// Makes the page report itself hidden or visible, as the browser does
  /// when a person switches to another app or locks the phone, and fires
  /// the event the app listens to. (Headless Chromium keeps every page
  /// visible, so the page's own state is overridden.)
  async function setPageHidden(page, hidden) {
    await page.evaluate((h) => {
      Object.defineProperty(document, "visibilityState", {
        configurable: true,
        get: () => (h ? "hidden" : "visible"),
      });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    }, hidden);
  }

  test("what arrives while the dossier's page is hidden stays news until the page is shown again", async () => {
    const parentPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const teacherLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { a, b } = await twoDevices(parentPhone, teacherLaptop, "Mila");

      // The teacher leaves the dossier open and switches to another app;
      // the parent writes at home, and the entry reaches the laptop.
      await setPageHidden(b.page, true);
      await saveEntry(a.page, "Mila telde alle treden van de toren");
      await b.page
        .locator(".entry-preview", { hasText: "treden van de toren" })
        .first()
        .waitFor({ timeout: SYNC_LIMIT_MS });

      // It is stored as news: the class overview in another tab says so
      // (the app could be ended in the background now and keep it).
      const overview = await teacherLaptop.newPage();
      await overview.goto(`${relay.url}/`);
      const row = overview.getByTestId("dossier-row").filter({ hasText: "Mila" });
      const news = row.getByTestId("news-line");
      await news.waitFor({ timeout: SYNC_LIMIT_MS });
      assert.match(await news.textContent(), /1 logboekbericht/);
      await overview.close();

      // Back in the app, the home lists it as new, and it is seen.
      await setPageHidden(b.page, false);
      const card = b.page.getByTestId("news-card");
      await card.waitFor({ timeout: STEP_MS });
      assert.match(await card.textContent(), /1 logboekbericht/);
      // A glance at another app and back does not empty that list.
      await setPageHidden(b.page, true);
      await setPageHidden(b.page, false);
      await b.page.waitForTimeout(500);
      assert.match(await card.textContent(), /1 logboekbericht/);
      const again = await teacherLaptop.newPage();
      await again.goto(`${relay.url}/`);
      const quiet = again.getByTestId("dossier-row").filter({ hasText: "Mila" });
      await quiet.waitFor();
      await again.waitForFunction(
        () =>
          [...document.querySelectorAll("[data-testid=dossier-row]")].some(
            (r) => r.textContent.includes("Mila") && !r.querySelector("[data-testid=news-line]"),
          ),
        null,
        { timeout: STEP_MS },
      );
      await again.close();
      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await parentPhone.close();
      await teacherLaptop.close();
    }
  });

  test("the teacher's overview says what is new in a child's dossier since the last visit, and the dossier's home says it too", async () => {
    const parentPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const teacherLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await teacherLaptop.addInitScript({ path: AXE });
    /// The screens with news are checked for accessibility here: no
    /// dossier of the accessibility test has any.
    const accessible = async (page, label) => {
      const problems = [];
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        problems.push(...(await axeProblems(page, `${label} [${scheme}]`)));
      }
      await page.emulateMedia({ colorScheme: "light" });
      assert.equal(problems.length, 0, `axe found:\n${problems.join("\n")}`);
    };
    try {
      const { a, b } = await twoDevices(parentPhone, teacherLaptop, "Lotte");
      const id = new URL(b.page.url()).pathname.split("/")[2];

      // The teacher goes to the class overview; the parent writes at home.
      await b.page.goto(`${relay.url}/`);
      await waitForSync(b.page, "up-to-date");
      const row = b.page.getByTestId("dossier-row").filter({ hasText: "Lotte" });
      await row.waitFor();
      assert.equal(await row.getByTestId("news-line").count(), 0, "nothing new yet");
      await saveEntry(a.page, "Lotte bouwde een brug van papier");

      const news = row.getByTestId("news-line");
      await news.waitFor({ timeout: SYNC_LIMIT_MS });
      assert.match(await news.textContent(), /1 logboekbericht/);
      await b.page.screenshot({ path: join(SHOTS, "overview-news-laptop.png"), fullPage: true });
      await accessible(b.page, "overview with news");

      // Opening the dossier shows the same news on its home, as links.
      await row.locator("a").click();
      await b.page.waitForURL(new RegExp(`/d/${id}$`));
      const card = b.page.getByTestId("news-card");
      await card.waitFor();
      assert.match(await card.textContent(), /1 logboekbericht/);
      await b.page.screenshot({ path: join(SHOTS, "home-news-laptop.png"), fullPage: true });
      await accessible(b.page, "home with news");

      // After the visit (and the teacher's own entry) the row is quiet
      // again, also after a reload.
      await saveEntry(b.page, "In de klas: bruggen van spaghetti");
      await b.page.goto(`${relay.url}/`);
      await row.waitFor();
      assert.equal(await row.getByTestId("news-line").count(), 0, "seen on the visit");

      // The parent's next change while the teacher looks elsewhere is news again.
      // Each device names the dossier with an id of its own.
      const idOnA = new URL(a.page.url()).pathname.split("/")[2];
      await a.page.goto(`${relay.url}/d/${idOnA}/expectations`);
      await a.page.getByTestId("new-point-parents-of-school").fill("Een keer per maand even bijpraten.");
      await a.page.getByTestId("propose-parents-of-school").click();
      await a.page.getByTestId("expectation").first().waitFor();
      await news.waitFor({ timeout: SYNC_LIMIT_MS });
      assert.match(await news.textContent(), /Verwachtingen/);
      assert.doesNotMatch(await news.textContent(), /logboek/);
      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await parentPhone.close();
      await teacherLaptop.close();
    }
  });
});
