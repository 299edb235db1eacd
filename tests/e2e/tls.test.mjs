// The app from a relay that speaks HTTPS itself, as a school would run it,
// with a certificate made for this test: it loads under the relay's
// Content-Security-Policy without a single violation, registers its service
// worker, syncs two devices over wss:, saves a file, and starts offline
// after a reload. Every wait has a limit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { DIST_DIR, RELAY_BIN, STEP_MS, waitForServiceWorker } from "./harness.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const START_LIMIT_MS = 30_000;
const SYNC_LIMIT_MS = 20_000;

/// A self-signed certificate for 127.0.0.1, valid for a day.
function makeCertificate(work) {
  const cert = join(work, "relay.crt");
  const key = join(work, "relay.key");
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key, "-out", cert,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (error) {
    throw new Error(`this test makes its certificate with openssl, which failed: ${error.message}`);
  }
  // What Chromium's --ignore-certificate-errors-spki-list names: the
  // SHA-256 of the certificate's public key (SubjectPublicKeyInfo).
  const spki = createHash("sha256")
    .update(new X509Certificate(readFileSync(cert)).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  return { cert, key, spki };
}

/// The relay binary over TLS on a port the OS picked, with its own copy of
/// the built app; resolves once it logs its https address.
async function startTlsRelay() {
  const work = mkdtempSync(join(tmpdir(), "driehoek-e2e-tls-"));
  const site = join(work, "site");
  cpSync(DIST_DIR, site, { recursive: true });
  const { cert, key, spki } = makeCertificate(work);
  const child = spawn(
    RELAY_BIN,
    [
      "--listen", "127.0.0.1:0", "--data-dir", join(work, "data"), "--dist", site,
      "--tls-cert", cert, "--tls-key", key,
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RUST_LOG: "info" } },
  );
  let log = "";
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay did not start in time:\n${log}`)),
      START_LIMIT_MS,
    );
    child.stderr.on("data", (chunk) => {
      log += chunk.toString();
      const match = log.replace(/\x1b\[[0-9;]*m/g, "").match(/url=(https:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    spki,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/// Everything a page or the browser says about the policy: console
/// messages, `securitypolicyviolation` events (recorded from the first
/// script on), and the browser's own log through the DevTools protocol.
async function watchPolicy(context, page) {
  const violations = [];
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Log.enable");
  cdp.on("Log.entryAdded", ({ entry }) => {
    if (/content security policy/i.test(entry.text)) {
      violations.push(`log: ${entry.text}`);
    }
  });
  await page.addInitScript(() => {
    window.__policyViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__policyViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  /// Moves the events recorded in the page so far out of it, before a
  /// reload starts a new record.
  const collect = async () => {
    const inPage = await page.evaluate(() => window.__policyViolations.splice(0));
    violations.push(...inPage.map((v) => `event: ${v}`));
  };
  return {
    errors,
    collect,
    async all() {
      await collect();
      return violations;
    },
  };
}

async function openApp(context, url, path = "/") {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const policy = await watchPolicy(context, page);
  const response = await page.goto(url + path);
  await page.locator(".app-header").waitFor();
  return { page, policy, response };
}

async function createDossier(page, child) {
  await page.getByTestId("start-create").click();
  const form = page.getByTestId("new-dossier-form");
  await form.getByTestId("child-name").fill(child);
  await form.getByTestId("group").fill("groep 6");
  await form.getByTestId("my-name").fill("Papa");
  await form.getByTestId("create-dossier").click();
  await page.waitForURL(/\/d\/[^/]+$/);
  await page.getByTestId("new-entry-form").waitFor();
  return new URL(page.url()).pathname.split("/")[2];
}

/// The invite link, from the secret the device keeps for the dossier.
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
  await page.waitForFunction(() => document.querySelector("[data-testid=entry-body]")?.value === "");
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

describe("the app from a relay that speaks HTTPS", { timeout: 240_000 }, () => {
  let relay;
  let browser;

  before(async () => {
    relay = await startTlsRelay();
    // Playwright's ignoreHTTPSErrors (per context, below) lets the page and
    // its WebSocket through, but Chromium still refuses to register a
    // service worker from an address with a certificate error. Trusting
    // this one test key (and no other) makes it a valid certificate.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--ignore-certificate-errors-spki-list=${relay.spki}`,
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test("loads under the policy without a violation, registers its service worker, syncs over wss:, saves a file and starts offline", async () => {
    const phone = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 390, height: 844 },
    });
    const laptop = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const a = await openApp(phone, relay.url);
      const headers = a.response.headers();
      const csp = headers["content-security-policy"];
      assert.ok(csp, "the page is served with a Content-Security-Policy");
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
      assert.ok(csp.includes(`connect-src 'self' wss://${new URL(relay.url).host}`), csp);
      assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|\*/);
      assert.equal(headers["referrer-policy"], "no-referrer");
      assert.equal(headers["strict-transport-security"], "max-age=31536000");
      assert.equal(headers["cache-control"], "no-store");
      assert.equal(await a.page.evaluate(() => window.isSecureContext), true);

      assert.equal(await waitForServiceWorker(a.page), "activated");
      const worker = await a.page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return registration?.active?.scriptURL ?? null;
      });
      assert.equal(worker, `${relay.url}/sw.js`);

      // One device writes; the other joins by the invite link over wss:.
      const id = await createDossier(a.page, "Lotte");
      await waitForSync(a.page, "up-to-date");
      await saveEntry(a.page, "Lotte telde tot honderd in het Engels");
      await waitForSync(a.page, "up-to-date");
      const link = await inviteLink(a.page, id);
      const b = await openApp(laptop, relay.url, link);
      await b.page.waitForURL(/\/d\/[0-9a-f]{32}$/, { timeout: STEP_MS });
      await waitForText(b.page, "Lotte telde tot honderd in het Engels");
      const joinForm = b.page.getByTestId("new-person-form");
      await joinForm.getByTestId("new-person-name").fill("Meester Tim");
      await joinForm.locator("input[data-role=teacher]").check();
      await joinForm.getByTestId("new-person-join").click();
      await b.page.getByTestId("new-entry-form").waitFor();
      await saveEntry(b.page, "In de klas: Lotte hielp een klasgenoot");
      await waitForText(a.page, "In de klas: Lotte hielp een klasgenoot");

      // A download made from a Blob URL (the sync file) under the policy.
      const [download] = await Promise.all([
        a.page.waitForEvent("download"),
        a.page.getByTestId("export-sync-file").click(),
      ]);
      assert.match(download.suggestedFilename(), /^Lotte\.driehoek-sync$/);

      // With the relay gone and the network cut, the reloaded app starts
      // from the service worker with the dossier as it was. (The relay is
      // stopped as well, because Chromium may report the page online again
      // after a reload under Playwright's offline emulation.)
      await relay.stop();
      await waitForSync(a.page, "offline");
      await phone.setOffline(true);
      await a.policy.collect();
      await a.page.reload();
      await a.page.locator(".app-header").waitFor();
      await waitForText(a.page, "In de klas: Lotte hielp een klasgenoot");
      await waitForText(a.page, "Lotte telde tot honderd in het Engels");
      assert.notEqual(
        await a.page.getByTestId("sync-status").getAttribute("data-sync"),
        "up-to-date",
      );

      assert.deepEqual(await a.policy.all(), [], "no policy violation on the phone");
      assert.deepEqual(await b.policy.all(), [], "no policy violation on the laptop");
      assert.deepEqual(a.policy.errors, []);
      assert.deepEqual(b.policy.errors, []);
    } finally {
      await phone.close();
      await laptop.close();
    }
  });
});
