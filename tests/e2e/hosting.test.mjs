// A school's relay that asks a creation code for new dossiers: the app says
// so in plain words, takes the code in a banner, and keeps everything typed
// meanwhile on the device until the relay takes the dossier.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchBrowser, openAppAt, startRelay } from "./harness.mjs";

const SHOTS = resolve(new URL("../../target/e2e-screens", import.meta.url).pathname);
const SYNC_MS = 15_000;
const CODE = "appel-42";

describe("a relay with a creation code", { timeout: 180_000 }, () => {
  let relay;
  let browser;

  before(async () => {
    relay = await startRelay({ DRIEHOEK_CREATION_CODE: CODE });
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function syncState(page) {
    return page.evaluate(() => document.querySelector("[data-testid=sync-status]")?.dataset.sync);
  }

  test("without the code the dossier stays on the device with a plain banner; a wrong code is named; the right one shares it", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const { page, errors } = await openAppAt(phone, relay.url, "/");
      await page.getByTestId("start-create").click();
      const form = page.getByTestId("new-dossier-form");
      await form.getByTestId("child-name").fill("Lotte");
      await form.getByTestId("group").fill("groep 3");
      await form.getByTestId("my-name").fill("Papa");
      await form.getByTestId("create-dossier").click();
      await page.waitForURL(/\/d\/[^/]+$/);

      // The relay refuses the new dossier: the banner asks for the code.
      const banner = page.getByTestId("sync-banner");
      await banner.filter({ hasText: "code" }).waitFor({ timeout: SYNC_MS });
      assert.match(await banner.innerText(), /vraagt een code/);
      assert.notEqual(await syncState(page), "up-to-date");

      // Writing goes on meanwhile, on the device.
      const entry = page.getByTestId("new-entry-form");
      await entry.locator("button.kind[data-kind=discovery]").click();
      await entry.getByTestId("entry-body").fill("Lotte las zelf een heel boekje");
      await entry.getByTestId("save-entry").click();
      await page.locator(".entry-preview", { hasText: "heel boekje" }).waitFor();
      await page.screenshot({ path: join(SHOTS, "creation-code-phone.png"), fullPage: true });

      // A wrong code: the banner says so and the entry stays.
      await banner.getByTestId("creation-code").fill("peer-7");
      await banner.locator("button[type=submit]").click();
      await banner.filter({ hasText: "klopt niet" }).waitFor({ timeout: SYNC_MS });

      // The right code: the banner goes and the dossier reaches the relay.
      await banner.getByTestId("creation-code").fill(CODE);
      await banner.locator("button[type=submit]").click();
      await page.waitForFunction(
        () => document.querySelector("[data-testid=sync-status]")?.dataset.sync === "up-to-date",
        null,
        { timeout: SYNC_MS },
      );
      await banner.waitFor({ state: "detached", timeout: SYNC_MS });

      // The code is kept for later dossiers, and settings show it.
      await page.goto(relay.url + "/settings");
      await page.getByTestId("sync-settings").waitFor();
      assert.equal(await page.getByTestId("sync-settings").getByTestId("creation-code").inputValue(), CODE);

      // A second device joins with the link and needs no code (the dossier
      // exists on the relay), and sees the entry written before the code.
      const secretHex = await page.evaluate(async () => {
        const db = await new Promise((ok, fail) => {
          const open = indexedDB.open("driehoek");
          open.onsuccess = () => ok(open.result);
          open.onerror = () => fail(open.error);
        });
        const keys = await new Promise((ok, fail) => {
          const all = db.transaction("entries").objectStore("entries").getAllKeys();
          all.onsuccess = () => ok(all.result);
          all.onerror = () => fail(all.error);
        });
        const key = keys.find((k) => String(k).startsWith("sync/"));
        const value = await new Promise((ok, fail) => {
          const get = db.transaction("entries").objectStore("entries").get(key);
          get.onsuccess = () => ok(get.result);
          get.onerror = () => fail(get.error);
        });
        const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
        return JSON.parse(new TextDecoder().decode(bytes)).secret;
      });
      const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const link = `/#join=${Buffer.from(secretHex, "hex").toString("base64url")}`;
        const b = await openAppAt(laptop, relay.url, link);
        await b.page.locator(".entry-preview", { hasText: "heel boekje" }).waitFor({ timeout: SYNC_MS });
        assert.equal(await b.page.getByTestId("sync-banner").count(), 0);
        assert.deepEqual(b.errors, []);
      } finally {
        await laptop.close();
      }
      assert.deepEqual(errors, []);
    } finally {
      await phone.close();
    }
  });
});
