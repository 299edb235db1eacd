// Shared pieces of the end-to-end tests: the real relay serving a copy of the
// release build on loopback, and Debian's Chromium driven by playwright-core.
// Every wait here has a limit, so a hanging test ends by itself.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const RELAY_BIN = process.env.RELAY_BIN ?? join(ROOT, "target/debug/driehoek-relay");
export const DIST_DIR = process.env.DIST_DIR ?? join(ROOT, "dist");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const START_LIMIT_MS = 30_000;

/// Starts the relay binary and resolves with its address once it listens.
function spawnRelay(listen, work, site, env) {
  const child = spawn(
    RELAY_BIN,
    ["--listen", listen, "--data-dir", join(work, "data"), "--dist", site],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RUST_LOG: "info", ...env } },
  );
  let log = "";
  const url = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay did not start in time:\n${log}`)),
      START_LIMIT_MS,
    );
    child.stderr.on("data", (chunk) => {
      log += chunk.toString();
      const match = log.replace(/\x1b\[[0-9;]*m/g, "").match(/url=(http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${log}`));
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`relay could not start (${RELAY_BIN}): ${error.message}`));
    });
  });
  return { child, url };
}

async function stopChild(child, signal) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/// A relay on 127.0.0.1 with a port the OS picked, serving its own copy of
/// the built app (so a test may replace the app with a "new version").
/// `env` sets the relay's own options, e.g. `DRIEHOEK_CREATION_CODE`.
export async function startRelay(env = {}) {
  const work = mkdtempSync(join(tmpdir(), "driehoek-e2e-"));
  const site = join(work, "site");
  cpSync(DIST_DIR, site, { recursive: true });
  let running = spawnRelay("127.0.0.1:0", work, site, env);
  const url = await running.url;
  const listen = new URL(url).host;
  return {
    url,
    site,
    /// Makes the served app a new version with this build id, as a deploy
    /// of a rebuilt app would.
    deployNewVersion(buildId) {
      execFileSync("node", [join(ROOT, "tools/stamp-build.mjs"), site, "--build-id", buildId]);
    },
    /// Kills the relay as a power cut would: no shutdown, no flush.
    async kill() {
      await stopChild(running.child, "SIGKILL");
    },
    /// Starts it again on the same address and data.
    async restart() {
      running = spawnRelay(listen, work, site, env);
      await running.url;
    },
    async stop() {
      await stopChild(running.child, "SIGTERM");
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
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
    ],
  });
}

/// Resolves once the page's service worker is active and controls the page.
export async function waitForServiceWorker(page, limitMs = 20_000) {
  return page.evaluate(async (limit) => {
    const activeAndControlling = (async () => {
      const registration = await navigator.serviceWorker.ready;
      // `ready` resolves while the worker may still be "activating".
      const worker = registration.active;
      if (worker && worker.state !== "activated") {
        await new Promise((resolveState) => {
          const check = () => {
            if (worker.state === "activated") {
              worker.removeEventListener("statechange", check);
              resolveState();
            }
          };
          worker.addEventListener("statechange", check);
          check();
        });
      }
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolveControl) => {
          navigator.serviceWorker.addEventListener("controllerchange", resolveControl, {
            once: true,
          });
        });
      }
      return registration.active?.state;
    })();
    const late = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("service worker not active in time")), limit),
    );
    return Promise.race([activeAndControlling, late]);
  }, limitMs);
}

/// Collects errors the page reports, so a test can assert there were none.
export function watchPageErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/// How long one step of a test (a click, a page load) may take.
export const STEP_MS = 20_000;

/// Opens `path` of the app at `url` in a new page of `context` and waits
/// for the app to render; returns the page and the errors it reports.
export async function openAppAt(context, url, path = "/") {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const errors = watchPageErrors(page);
  await page.goto(url + path);
  await page.locator(".app-header").waitFor();
  return { page, errors };
}

const SAMPLE = join(ROOT, "target/sample/dossier-2000.bin");

/// The sample dossier with 2,000 logbook entries (and the other sections
/// filled), as framed snapshot bytes; generated once by the
/// `sample_dossier` example.
export function sampleDossier() {
  if (!existsSync(SAMPLE)) {
    console.error("generating the sample dossier (about a minute the first time)");
    const built = spawnSync(
      "cargo",
      ["run", "-q", "-p", "driehoek-core", "--example", "sample_dossier", "--release", "--", SAMPLE],
      {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
        env: {
          ...process.env,
          // A native tool: fast to build beats small.
          CARGO_PROFILE_RELEASE_LTO: "false",
          CARGO_PROFILE_RELEASE_OPT_LEVEL: "2",
          CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "16",
          CARGO_PROFILE_RELEASE_PANIC: "unwind",
        },
      },
    );
    if (built.status !== 0) throw new Error("could not generate the sample dossier");
  }
  return readFileSync(SAMPLE);
}

/// Puts a dossier's snapshot into the app's IndexedDB under `id`, as if
/// the device had it, used by its member "mama".
export async function plantDossier(page, bytes, id) {
  // Wait until the app has opened (and created) its database.
  await page.getByTestId("start-create").waitFor({ timeout: 30_000 });
  await page.evaluate(
    async ({ b64, id }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const meta = {
        saved_heads: [],
        last_opened: null,
        last_seen_heads: [],
        summary: { child_name: "Noor", group: "groep 8", entry_count: 2000, last_activity: Date.now() },
      };
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("driehoek");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      await new Promise((ok, fail) => {
        const tx = db.transaction("entries", "readwrite");
        const store = tx.objectStore("entries");
        store.put(bin, `dossier/${id}/snapshot`);
        store.put(new TextEncoder().encode(JSON.stringify(meta)), `index/${id}`);
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
      db.close();
      localStorage.setItem(`driehoek.person.${id}`, JSON.stringify("mama"));
    },
    { b64: bytes.toString("base64"), id },
  );
}

/// Every route of a dossier below `/d/{id}`, with what it shows once it
/// has rendered; the last is an entry that does not exist.
export const DOSSIER_ROUTES = [
  ["", "[data-testid=entry-count]"],
  ["/expectations", ".expectations-page h2"],
  ["/agreement", "[data-testid=signatures]"],
  ["/conversations", ".conversations-page h2"],
  ["/together", "[data-testid=sources]"],
  ["/measurement", "[data-testid=comparison]"],
  ["/people", "[data-testid=member-list]"],
  ["/entry/0123456789abcdef0123456789abcdef", "[data-testid=entry-gone]"],
];

/// The routes outside a dossier, with what each shows.
export const APP_ROUTES = [
  ["/", "[data-testid=start-create]"],
  ["/settings", ".settings-page"],
  ["/no/such/page", "[data-testid=not-found]"],
];

/// Makes a dossier through the first screen's form, as the teacher
/// "Meester Bas" of Sem in groep 3; resolves with the dossier's id on
/// this device once its page is open.
export async function makeDossier(page) {
  await page.getByTestId("start-create").click();
  const form = page.getByTestId("new-dossier-form");
  await form.getByTestId("child-name").fill("Sem");
  await form.getByTestId("group").fill("groep 3");
  await form.getByTestId("my-name").fill("Meester Bas");
  await form.locator("input[data-role=teacher]").check();
  await form.getByTestId("create-dossier").click();
  await page.waitForURL(/\/d\/[^/]+$/);
  return new URL(page.url()).pathname.split("/")[2];
}

/// axe-core's script, for `context.addInitScript({ path: AXE })` (an init
/// script, since the app's Content-Security-Policy allows no inline one).
export const AXE = join(dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// The WCAG 2.1 A and AA violations axe finds on the page, one line each
/// with the elements; the page's context must have [`AXE`] as init script.
export async function axeProblems(page, label) {
  const violations = await page.evaluate(
    async ({ tags, limit }) => {
      const run = window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      });
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error("axe took too long")), limit));
      const result = await Promise.race([run, late]);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(" ")}: ${(n.failureSummary ?? "").split("\n").slice(1, 2).join(" ").trim()}`)
          .concat(v.nodes.length > 3 ? [`and ${v.nodes.length - 3} more`] : []),
      }));
    },
    { tags: WCAG, limit: STEP_MS },
  );
  return violations.map(
    (v) => `${label}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.map((n) => `      ${n}`).join("\n")}`,
  );
}
