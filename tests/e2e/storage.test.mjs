// What a parent writes stays written: through a crashed tab, between two
// tabs of one browser, on a full device and around damaged stored bytes.
// Each test uses its own browser context, which is its own profile with
// its own IndexedDB; two pages in one context are two tabs of one browser.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  launchBrowser,
  openAppAt,
  startRelay,
  STEP_MS,
  waitForServiceWorker,
} from "./harness.mjs";

/// How long IndexedDB in Chromium trusts the free space it last asked the
/// quota manager for (BucketContext::kBucketSpaceCacheTimeLimit, 30 s): a
/// quota override only reaches IndexedDB writes once that allowance has
/// decayed, so the quota test waits this long after the first write.
const IDB_SPACE_CACHE_MS = 30_000;
/// The issue asks for ≤ 100 ms from save in one tab to the row in the
/// other; a loaded test machine gets a generous bound, the number is printed.
const LIVE_UPDATE_LIMIT_MS = 2_000;

describe("storage in the browser", { timeout: 180_000 }, () => {
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

  /// Opens a dossier page and waits until its logbook has loaded.
  async function openDossier(context, id) {
    const opened = await openApp(context, `/d/${id}`);
    await opened.page.getByTestId("new-entry-form").waitFor();
    await opened.page.getByTestId("entry-count").waitFor();
    return opened;
  }

  /// Creates a dossier from the start page; returns its id once the
  /// dossier page shows it.
  async function createDossier(page, child = "Noor") {
    await page.getByTestId("start-create").click();
    const form = page.getByTestId("new-dossier-form");
    await form.getByTestId("child-name").fill(child);
    // The group is required, like the names.
    await form.getByTestId("group").fill("groep 5");
    await form.getByTestId("my-name").fill("Mama");
    await form.getByTestId("create-dossier").click();
    await page.waitForURL(/\/d\/[^/]+$/);
    await page.locator("h1[data-testid=child-name]").filter({ hasText: child }).waitFor();
    await page.getByTestId("new-entry-form").waitFor();
    return new URL(page.url()).pathname.split("/")[2];
  }

  /// Types `text` into the new-entry form and saves it; resolves once the
  /// form took it (the field empties when the entry is in the document).
  /// The tab comes to the front first, as it does for a person typing:
  /// headless Chromium runs animation frames of a tab behind another one
  /// about once a second, and Playwright's waits run on animation frames.
  async function saveEntry(page, text, kind = "discovery") {
    await page.bringToFront();
    const form = page.getByTestId("new-entry-form");
    await form.locator(`button.kind[data-kind=${kind}]`).click();
    await form.getByTestId("entry-body").fill(text);
    await form.getByTestId("save-entry").click();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=entry-body]")?.value === "",
    );
  }

  async function entryCount(page) {
    return Number(await page.getByTestId("entry-count").textContent());
  }

  async function waitForCount(page, expected, timeout = STEP_MS) {
    await page.waitForFunction(
      (n) => document.querySelector("[data-testid=entry-count]")?.textContent === String(n),
      expected,
      { timeout },
    );
  }

  /// The previews of every row of the windowed logbook: the list is
  /// scrolled from top to bottom, collecting what each window renders.
  async function allRowTexts(page) {
    return page.evaluate(async () => {
      const list = document.querySelector("[data-testid=logbook-list]");
      if (!list) return [];
      const seen = new Map();
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      list.scrollTop = 0;
      await frame();
      // Bounded: at most 200 steps of one viewport.
      for (let step = 0; step < 200; step++) {
        await frame();
        for (const row of list.querySelectorAll("[data-testid=entry-row]")) {
          seen.set(row.getAttribute("href"), row.querySelector(".entry-preview").textContent);
        }
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
        list.scrollTop += list.clientHeight;
        await frame();
      }
      list.scrollTop = 0;
      return [...seen.values()].sort();
    });
  }

  /// Every key and value of the app's IndexedDB under `prefix`, read with
  /// a connection of the test's own in the page.
  async function storedUnder(page, prefix) {
    return page.evaluate(
      (prefix) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("driehoek");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
            const tx = db.transaction("entries", "readonly");
            const keys = tx.objectStore("entries").getAllKeys(range);
            const values = tx.objectStore("entries").getAll(range);
            tx.oncomplete = () => {
              db.close();
              resolve(keys.result.map((k, i) => [k, Array.from(values.result[i])]));
            };
            tx.onabort = () => {
              db.close();
              reject(tx.error);
            };
          };
        }),
      prefix,
    );
  }

  /// `n` lowercase letters and spaces in a fixed pseudo-random order.
  function filler(n) {
    let x = 2463534242;
    let out = "";
    while (out.length < n) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const r = (x >>> 0) % 28;
      out += r >= 26 ? " " : String.fromCharCode(97 + r);
    }
    return out;
  }

  /// The printable ASCII runs of stored bytes (commit messages name the
  /// person and command), so a failure says what wrote a chunk.
  function readable(bytes) {
    return String.fromCharCode(...bytes)
      .replace(/[^\x20-\x7e]+/g, " ")
      .slice(0, 400);
  }

  /// Waits until no draft of the dossier is stored any more: a saved
  /// entry's draft is deleted in the same batch that stores its chunk, so
  /// this says the entries typed so far are in IndexedDB.
  async function waitUntilDraftsStored(page, id, limitMs = STEP_MS) {
    const until = Date.now() + limitMs;
    for (;;) {
      const drafts = await storedUnder(page, `draft/${id}/`);
      if (drafts.length === 0) return;
      if (Date.now() > until) {
        throw new Error(`drafts still stored after ${limitMs} ms: ${drafts.map((d) => d[0])}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /// Waits until the dossier's stored chunks are no larger together than
  /// its snapshot: the app compacts right after a write that makes them
  /// larger (CompactWhen::ChunksOutgrowSnapshot), so this is the stored
  /// layout once a running compaction is done.
  async function waitUntilCompacted(page, id, limitMs = STEP_MS) {
    const until = Date.now() + limitMs;
    for (;;) {
      const stored = await storedUnder(page, `dossier/${id}/`);
      const size = (part) =>
        stored
          .filter(([k]) => k.startsWith(`dossier/${id}/${part}`))
          .reduce((n, [, v]) => n + v.length, 0);
      const [chunks, snapshot] = [size("chunk/"), size("snapshot")];
      if (chunks <= snapshot) return;
      if (Date.now() > until) {
        throw new Error(
          `no compaction in ${limitMs} ms: chunks ${chunks} B, snapshot ${snapshot} B`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test("what was typed comes back after the tab crashed mid-sentence", async () => {
    const context = await browser.newContext();
    try {
      const { page } = await openApp(context);
      const id = await createDossier(page);
      await saveEntry(page, "Noor las haar eerste boek helemaal alleen.");
      // The session exists before typing, so the crash follows the last
      // keystroke without the delay of attaching to the page.
      const cdp = await context.newCDPSession(page);

      const sentence = "Vandaag telde Noor tot honderd zonder een fout te maken.";
      await page.getByTestId("entry-body").pressSequentially(sentence, { delay: 15 });
      const lastKey = Date.now();
      const crashed = page.waitForEvent("crash", { timeout: STEP_MS });
      // The renderer dies, so this command may never get an answer.
      cdp.send("Page.crash").catch(() => {});
      const sentAfter = Date.now() - lastKey;
      await crashed;
      const seenAfter = Date.now() - lastKey;
      console.log(`crash sent ${sentAfter} ms after the last keystroke, seen after ${seenAfter} ms`);
      assert.ok(sentAfter <= 300, `the crash came ${sentAfter} ms after the last keystroke`);

      const { page: again, errors } = await openDossier(context, id);
      await again.getByTestId("draft-restored").waitFor();
      assert.equal(await again.getByTestId("entry-body").inputValue(), sentence);
      await waitForCount(again, 1);
      assert.deepEqual(await allRowTexts(again), ["Noor las haar eerste boek helemaal alleen."]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("two tabs of one dossier show each other's new entries without a reload", async () => {
    const context = await browser.newContext();
    try {
      const { page: a, errors: errorsA } = await openApp(context);
      const id = await createDossier(a);
      const { page: b, errors: errorsB } = await openDossier(context, id);
      await b.getByTestId("empty-logbook").waitFor();

      /// Saves `text` in `writer` and returns how long after the click on
      /// save its row appeared in `reader`, both times taken in the pages
      /// on the shared clock (timeOrigin + now).
      async function latency(writer, reader, text) {
        await reader.evaluate((text) => {
          window.__seenAt = undefined;
          const look = () => {
            for (const row of document.querySelectorAll("[data-testid=entry-row]")) {
              if (row.textContent.includes(text)) {
                window.__seenAt = performance.timeOrigin + performance.now();
                observer.disconnect();
                return;
              }
            }
          };
          const observer = new MutationObserver(look);
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          look();
        }, text);
        // The person writes in the front tab; the reader is the tab behind.
        await writer.bringToFront();
        const form = writer.getByTestId("new-entry-form");
        await form.getByTestId("entry-body").fill(text);
        await writer.evaluate(() => {
          const button = document.querySelector("[data-testid=save-entry]");
          button.addEventListener(
            "click",
            () => {
              window.__clickedAt = performance.timeOrigin + performance.now();
            },
            { once: true, capture: true },
          );
        });
        await form.getByTestId("save-entry").click();
        await reader.waitForFunction(() => window.__seenAt !== undefined, null, {
          timeout: STEP_MS,
        });
        const clickedAt = await writer.evaluate(() => window.__clickedAt);
        const seenAt = await reader.evaluate(() => window.__seenAt);
        return seenAt - clickedAt;
      }

      const aToB = await latency(a, b, "Noor vond een kikker bij de sloot.");
      console.log(`tab A saved, tab B showed the row after ${aToB.toFixed(1)} ms`);
      await waitForCount(b, 1);

      const bToA = await latency(b, a, "Noor vroeg waarom de maan verandert.");
      console.log(`tab B saved, tab A showed the row after ${bToA.toFixed(1)} ms`);
      await waitForCount(a, 2);
      await waitForCount(b, 2);

      assert.ok(aToB < LIVE_UPDATE_LIMIT_MS, `A to B took ${aToB} ms`);
      assert.ok(bToA < LIVE_UPDATE_LIMIT_MS, `B to A took ${bToA} ms`);
      const expected = [
        "Noor vond een kikker bij de sloot.",
        "Noor vroeg waarom de maan verandert.",
      ];
      for (const page of [a, b]) {
        await page.bringToFront();
        assert.deepEqual(await allRowTexts(page), expected);
      }
      assert.deepEqual(errorsA, []);
      assert.deepEqual(errorsB, []);
    } finally {
      await context.close();
    }
  });

  test("two tabs saving in turns keep every entry through reloads", async () => {
    const context = await browser.newContext();
    try {
      const { page: a, errors: errorsA } = await openApp(context);
      const id = await createDossier(a);
      const { page: b, errors: errorsB } = await openDossier(context, id);
      const expected = [];
      // No waiting for the other tab between saves: the tabs write
      // concurrent changes, and their compactions (each save may compact)
      // run while the other tab writes. A tab that hears of a chunk only
      // after the writer compacted it away misses it live (see the next
      // test), so this one fails now and then before the reload.
      for (let i = 1; i <= 6; i++) {
        for (const [page, tab] of [
          [a, "A"],
          [b, "B"],
        ]) {
          const text = `Bericht ${i} uit tabblad ${tab}.`;
          expected.push(text);
          await saveEntry(page, text);
        }
      }
      expected.sort();
      // Live, without a reload, both tabs should show all twelve; what is
      // missing is asserted last, so the reload below is checked anyway.
      const missingLive = {};
      for (const [page, tab] of [
        [a, "A"],
        [b, "B"],
      ]) {
        await page.bringToFront();
        await waitForCount(page, 12, 5_000).catch(() => {});
        const shown = await allRowTexts(page);
        const missing = expected.filter((t) => !shown.includes(t));
        if (missing.length > 0) missingLive[tab] = missing;
      }
      await waitUntilDraftsStored(a, id);

      await a.reload();
      await b.reload();
      for (const page of [a, b]) {
        await page.bringToFront();
        await page.getByTestId("new-entry-form").waitFor();
        await waitForCount(page, 12);
        assert.deepEqual(await allRowTexts(page), expected);
        assert.equal(await page.getByTestId("store-warnings").count(), 0);
        assert.equal(await page.getByTestId("storage-banner").count(), 0);
      }
      assert.deepEqual(errorsA, []);
      assert.deepEqual(errorsB, []);
      assert.deepEqual(missingLive, {}, "entries missing live, before the reload");
    } finally {
      await context.close();
    }
  });

  test("a tab that was busy while the other tab saved and compacted still shows the new entry", async () => {
    // The same situation as above, made certain: tab B saves an entry
    // whose chunk makes the chunks outgrow the snapshot, so B compacts
    // right after writing, while tab A's main thread is busy (a long
    // render, a slow phone) and hears B's notice only afterwards.
    const context = await browser.newContext();
    try {
      const { page: a, errors: errorsA } = await openApp(context);
      const id = await createDossier(a);
      const { page: b, errors: errorsB } = await openDossier(context, id);
      await saveEntry(a, "Eerste bericht, uit tabblad A.");
      await waitForCount(b, 1);
      await waitUntilDraftsStored(a, id);
      const before = await storedUnder(a, `dossier/${id}/chunk/`);
      assert.equal(before.length, 1, "A's entry waits in one chunk");
      // B's entry must be long enough that its chunk alone outgrows the
      // snapshot, however large the snapshot is: letters in a fixed
      // pseudo-random order (deflate shrinks them to about 0.6), twice as
      // many as the snapshot has bytes.
      const snapshot = await storedUnder(a, `dossier/${id}/snapshot`);
      const snapshotBytes = snapshot.reduce((n, [, v]) => n + v.length, 0);
      assert.ok(snapshotBytes > 0, "the dossier has a snapshot");
      const textB = `Tweede bericht, uit tabblad B. ${filler(2 * snapshotBytes)}`;

      // Tab A is busy for 1.5 s; its page is a process of its own, so B
      // goes on meanwhile.
      const busy = a.evaluate(() => {
        const end = performance.now() + 1_500;
        while (performance.now() < end);
      });
      await saveEntry(b, textB);
      await waitForCount(b, 2);
      await busy;
      await waitUntilCompacted(b, id);
      const left = await storedUnder(b, `dossier/${id}/chunk/`);
      assert.deepEqual(
        left.map(([k, v]) => [k, v.length, readable(v)]),
        [],
        "B compacted",
      );

      // Unhindered, a tab shows the other's entry in well under 100 ms.
      await a.bringToFront();
      const shown = await waitForCount(a, 2, 5_000).then(
        () => true,
        () => false,
      );
      assert.ok(
        shown,
        `5 s after B saved, tab A's entry count is ${await entryCount(a)}; ` +
          `its rows: ${JSON.stringify(await allRowTexts(a))}`,
      );
      const rows = await allRowTexts(a);
      assert.equal(rows.length, 2, JSON.stringify(rows));
      assert.equal(rows[0], "Eerste bericht, uit tabblad A.");
      assert.ok(rows[1].startsWith("Tweede bericht, uit tabblad B. "), rows[1]);
      assert.deepEqual(errorsA, []);
      assert.deepEqual(errorsB, []);
    } finally {
      await context.close();
    }
  });

  test("a full device says so, keeps the new entry on screen and loses nothing stored", async () => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openApp(context);
      const origin = new URL(relay.url).origin;
      const cdp = await context.newCDPSession(page);
      const id = await createDossier(page);
      // IndexedDB asked for free space at its first write, at the latest
      // just now; from this moment on its cached allowance decays.
      const firstWrite = Date.now();
      await saveEntry(page, "Opgeslagen voordat het apparaat vol was.");
      await waitForCount(page, 1);
      await waitUntilDraftsStored(page, id);

      await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1 });
      const quota = await cdp.send("Storage.getUsageAndQuota", { origin });
      assert.equal(quota.overrideActive, true);
      // Chromium's IndexedDB only asks the quota manager again once its
      // cached allowance has run out (see IDB_SPACE_CACHE_MS).
      const wait = firstWrite + IDB_SPACE_CACHE_MS + 1_000 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);

      await saveEntry(page, "Geschreven toen het apparaat vol was.");
      const banner = page.getByTestId("storage-banner");
      await banner.waitFor();
      assert.equal(await banner.getAttribute("role"), "alert");
      const message = (await banner.textContent()).trim();
      console.log(`banner on a full device: ${message}`);
      assert.match(message, /geen ruimte meer/);
      await banner.getByTestId("retry-save").waitFor();
      // The entry stays in the page, though not stored.
      await waitForCount(page, 1 + 1);
      assert.deepEqual(await allRowTexts(page), [
        "Geschreven toen het apparaat vol was.",
        "Opgeslagen voordat het apparaat vol was.",
      ]);

      // A second tab opened while the device is still full loads what was
      // stored, without errors. Its visit record cannot be written, but
      // nothing anyone typed waits there, so it shows no banner.
      const { page: fresh, errors: freshErrors } = await openDossier(context, id);
      await waitForCount(fresh, 1);
      assert.deepEqual(await allRowTexts(fresh), ["Opgeslagen voordat het apparaat vol was."]);
      assert.equal(await fresh.getByTestId("store-warnings").count(), 0);
      await fresh.waitForTimeout(500);
      assert.equal(await fresh.getByTestId("storage-banner").count(), 0);
      assert.deepEqual(freshErrors, []);

      // Space is freed; "try again" writes what waited in memory.
      await cdp.send("Storage.overrideQuotaForOrigin", { origin });
      await page.bringToFront();
      await banner.getByTestId("retry-save").click();
      await banner.waitFor({ state: "detached" });
      // The other tab hears of the stored chunk and shows it live.
      await waitForCount(fresh, 2);
      assert.equal(await fresh.getByTestId("storage-banner").count(), 0);
      await fresh.close();

      await page.reload();
      await page.getByTestId("new-entry-form").waitFor();
      await waitForCount(page, 2);
      assert.deepEqual(await allRowTexts(page), [
        "Geschreven toen het apparaat vol was.",
        "Opgeslagen voordat het apparaat vol was.",
      ]);
      assert.equal(await page.getByTestId("storage-banner").count(), 0);
      assert.equal(await page.getByTestId("store-warnings").count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("a damaged chunk is skipped with a warning and kept aside, the rest loads, and the relay gives the lost change back", async () => {
    const context = await browser.newContext();
    try {
      const { page, errors } = await openApp(context);
      const id = await createDossier(page);
      const chunkPrefix = `dossier/${id}/chunk/`;
      // Compaction folds chunks into the snapshot once they outgrow it, so
      // save until the snapshot is followed by two chunks (bounded).
      const texts = [];
      let chunks = [];
      for (let i = 1; i <= 8 && chunks.length < 2; i++) {
        const text = `Entry ${i}.`;
        texts.push(text);
        await saveEntry(page, text);
        await waitForCount(page, i);
        await waitUntilDraftsStored(page, id);
        await waitUntilCompacted(page, id);
        chunks = await storedUnder(page, chunkPrefix);
      }
      assert.equal(chunks.length, 2, "two chunks after the snapshot");
      assert.equal((await storedUnder(page, `dossier/${id}/snapshot`)).length, 1);

      // Damage the newest chunk: nothing depends on its change, so the
      // snapshot and the other chunk still hold every other entry. Bytes
      // in the middle of the payload are flipped; the frame's SHA-256
      // (header 46 bytes) no longer matches.
      const [key, bytes] = chunks[chunks.length - 1];
      const damaged = bytes.slice();
      const middle = 46 + Math.floor((bytes.length - 46) / 2);
      for (let i = middle; i < middle + 4; i++) damaged[i] ^= 0xff;
      await page.evaluate(
        ([key, damaged]) =>
          new Promise((resolve, reject) => {
            const open = indexedDB.open("driehoek");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction("entries", "readwrite");
              tx.objectStore("entries").put(new Uint8Array(damaged), key);
              tx.oncomplete = () => {
                db.close();
                resolve();
              };
              tx.onabort = () => {
                db.close();
                reject(tx.error);
              };
            };
          }),
        [key, damaged],
      );

      // Offline, so only what this device stored counts: the relay holds
      // the damaged change too and gives it back once online (below).
      await waitForServiceWorker(page);
      await context.setOffline(true);
      await page.reload();
      await page.getByTestId("new-entry-form").waitFor();
      const warnings = page.getByTestId("store-warnings");
      await warnings.waitFor();
      console.log(`warnings after the damage: ${(await warnings.textContent()).trim()}`);
      assert.match(await warnings.textContent(), /beschadigd en is overgeslagen/);
      await waitForCount(page, texts.length - 1);
      assert.deepEqual(await allRowTexts(page), texts.slice(0, -1).sort());

      // The damaged bytes are moved under quarantine, unchanged.
      const kept = await storedUnder(page, `dossier/${id}/quarantine/`);
      assert.equal(kept.length, 1, `quarantine holds ${kept.map((k) => k[0])}`);
      assert.ok(kept[0][0].includes(key.split("/").pop()), `kept as ${kept[0][0]}`);
      assert.deepEqual(kept[0][1], damaged);
      assert.deepEqual(
        (await storedUnder(page, chunkPrefix)).map(([k]) => k),
        chunks.slice(0, -1).map(([k]) => k),
      );

      // Online again: the change that was in the damaged chunk comes back
      // from the relay, and every entry is there.
      await context.setOffline(false);
      await waitForCount(page, texts.length);
      assert.deepEqual(await allRowTexts(page), texts.slice().sort());
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
