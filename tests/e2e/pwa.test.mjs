// The installed app as a parent's phone uses it: it starts without a
// network, remembers the language, and takes a new version only when asked.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, openAppAt, startRelay, waitForServiceWorker } from "./harness.mjs";


describe("the app as a PWA", { timeout: 180_000 }, () => {
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

  const openApp = (context, path) => openAppAt(context, relay.url, path);

  test("it starts with no network once the service worker is active", async () => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openApp(context);
      assert.equal(await waitForServiceWorker(page), "activated");
      const buildId = await page.getByTestId("build-id").textContent();
      assert.match(buildId, /^[0-9a-f]{12}$/);

      await context.setOffline(true);
      await page.reload();
      await page.locator(".app-header").waitFor();
      assert.match(await page.locator(".app-header").textContent(), /Driehoek/);
      await page.getByTestId("empty-dossiers").waitFor();
      assert.equal(await page.getByTestId("online-status").getAttribute("data-online"), "false");
      assert.equal(await page.getByTestId("build-id").textContent(), buildId);

      // A deep link reloaded offline still gets the app, which shows its
      // own not-found page for a route it does not know.
      await page.goto(`${relay.url}/no/such/page`);
      await page.getByTestId("not-found").waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("the language switch survives a reload", async () => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openApp(context);
      assert.match(await page.getByTestId("empty-dossiers").textContent(), /nog geen dossiers/);
      await page.locator('.language-switch [data-lang="en"]').click();
      await page.getByText("There are no dossiers on this device yet.").waitFor();
      await page.reload();
      await page.getByText("There are no dossiers on this device yet.").waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      assert.equal(
        await page.locator('.language-switch [data-lang="en"]').getAttribute("aria-pressed"),
        "true",
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("a second device starts clean", async () => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    try {
      const { page: firstPage } = await openApp(first);
      await firstPage.locator('.language-switch [data-lang="en"]').click();
      await firstPage.getByText("There are no dossiers on this device yet.").waitFor();

      const { page } = await openApp(second);
      assert.match(await page.getByTestId("empty-dossiers").textContent(), /nog geen dossiers/);
      assert.equal(await page.locator("html").getAttribute("lang"), "nl");
      // Only this device's own random id; nothing of the first device.
      const keys = await page.evaluate(() => Object.keys(localStorage));
      assert.deepEqual(keys.filter((k) => k !== "driehoek.device"), []);
      assert.equal(await page.getByTestId("dossier-list").locator("li").count(), 0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test("a new version is offered as an update and starts when accepted", async () => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openApp(context);
      await waitForServiceWorker(page);
      const oldBuild = await page.getByTestId("build-id").textContent();
      assert.equal(await page.getByTestId("update-banner").count(), 0);

      const newBuild = `e2e-${Date.now().toString(36)}`;
      relay.deployNewVersion(newBuild);
      // The app looks for a new version at start.
      await page.reload();
      const banner = page.getByTestId("update-banner");
      await banner.waitFor();
      // Until the person chooses, the old version keeps running.
      assert.equal(await page.getByTestId("build-id").textContent(), oldBuild);

      await Promise.all([
        page.waitForEvent("load"),
        banner.getByRole("button").click(),
      ]);
      await page.locator(".app-header").waitFor();
      await page.waitForFunction(
        (expected) => document.querySelector("[data-testid=build-id]")?.textContent === expected,
        newBuild,
      );
      assert.equal(await page.getByTestId("update-banner").count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
