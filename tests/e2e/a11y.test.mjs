// Accessibility of every screen, with the real relay on 127.0.0.1: axe-core
// finds no WCAG 2.1 A or AA problem on any route, in Dutch and English, in
// the light and the dark colour scheme (the system's, emulated); at 320 px
// wide and at 200% zoom (a 1280x800 window shows 640x400) no page scrolls
// sideways and no logbook row is cut off, also with twice the text size;
// and a dossier's home works with the keyboard alone, with a visible focus
// on every stop.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  APP_ROUTES,
  AXE,
  axeProblems,
  DOSSIER_ROUTES,
  launchBrowser,
  makeDossier,
  openAppAt,
  plantDossier,
  sampleDossier,
  startRelay,
  STEP_MS,
} from "./harness.mjs";

const SAMPLE_ID = "sample-2000";
const MISSING_ENTRY = DOSSIER_ROUTES.at(-1)[0];

describe("accessibility", { timeout: 240_000 }, () => {
  let relay;
  let browser;
  let context;
  let page;
  let errors;
  /// The dossier made through the screens, with one entry and one
  /// expectation.
  let made;
  let madeEntry;
  let sampleEntry;

  before(async () => {
    const sample = sampleDossier();
    relay = await startRelay();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // An init script, not a <script> tag: the app's Content-Security-Policy
    // allows no inline script.
    await context.addInitScript({ path: AXE });
    ({ page, errors } = await openAppAt(context, relay.url, "/"));
    await plantDossier(page, sample, SAMPLE_ID);
    made = await makeDossier(page);
    await page.getByTestId("entry-body").fill("Sem las vandaag zelf een heel boek over de ruimte uit.");
    await page.getByTestId("save-entry").click();
    await page.getByTestId("entry-row").first().waitFor();
    madeEntry = new URL(await page.getByTestId("entry-row").first().getAttribute("href"), relay.url).pathname;
    await visit(`/d/${made}/expectations`, ".expectations-page h2");
    await page.getByTestId("new-point-school-of-parents").fill("Samen één keer per week lezen.");
    await page.getByTestId("propose-school-of-parents").click();
    await page.locator("[data-list=school-of-parents] [data-testid=expectation]").waitFor();
    await visit(`/d/${SAMPLE_ID}`, "[data-testid=entry-row]");
    sampleEntry = new URL(await page.getByTestId("entry-row").first().getAttribute("href"), relay.url).pathname;
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await relay?.stop();
  });

  /// Goes to `path` inside the running app (through the router, so a big
  /// dossier is not loaded again) and waits until `shows` is there.
  async function visit(path, shows) {
    const here = await page.evaluate(() => Boolean(document.querySelector(".app-header")));
    if (here) {
      await page.evaluate((to) => {
        const link = document.createElement("a");
        link.href = to;
        document.body.append(link);
        link.click();
        link.remove();
      }, path);
      await page.waitForFunction((to) => location.pathname === to, path, { timeout: STEP_MS });
    } else {
      await page.goto(relay.url + path);
    }
    await page.locator(shows).first().waitFor();
  }

  async function setLanguage(lang) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang) {
      await page.locator(`.language-switch button[data-lang=${lang}]`).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: STEP_MS });
    }
  }

  /// Checks the current page in both languages and colour schemes (the
  /// order keeps language clicks and scheme switches few).
  async function checkAllWays(label, ways) {
    const problems = [];
    for (const [lang, schemes] of ways) {
      await setLanguage(lang);
      for (const scheme of schemes) {
        await page.emulateMedia({ colorScheme: scheme });
        problems.push(...(await axeProblems(page, `${label} [${lang}, ${scheme}]`)));
      }
    }
    return problems;
  }

  const EVERY_WAY = [
    ["nl", ["light", "dark"]],
    ["en", ["dark", "light"]],
  ];
  const TWO_WAYS = [
    ["en", ["light"]],
    ["nl", ["dark"]],
  ];

  test("no route has a WCAG 2.1 A or AA violation, in Dutch and English, light and dark", async () => {
    const problems = [];
    const routes = [
      // The dossier made on screen: every route every way.
      ...DOSSIER_ROUTES.map(([path, shows]) => [`/d/${made}${path}`, shows, EVERY_WAY]),
      [madeEntry, ".entry-full", EVERY_WAY],
      ...APP_ROUTES.map(([path, shows]) => [path, shows, EVERY_WAY]),
      // The sample with every section filled: each language once, each
      // scheme once.
      ...DOSSIER_ROUTES.slice(0, -1).map(([path, shows]) => [`/d/${SAMPLE_ID}${path}`, shows, TWO_WAYS]),
      [sampleEntry, ".entry-full", TWO_WAYS],
    ];
    for (const [path, shows, ways] of routes) {
      await visit(path, shows);
      problems.push(...(await checkAllWays(path, ways)));
    }
    // Child mode, on a parent's phone.
    await visit(`/d/${SAMPLE_ID}`, "[data-testid=entry-row]");
    await page.getByTestId("child-mode").click();
    await page.locator(".timeline.child").waitFor();
    problems.push(...(await checkAllWays("child mode", TWO_WAYS)));
    await page.getByTestId("child-mode").click();
    await page.locator(".timeline:not(.child)").waitFor();
    await page.emulateMedia({ colorScheme: "light" });
    await setLanguage("nl");
    assert.deepEqual(errors, []);
    assert.equal(problems.length, 0, `axe found:\n${problems.join("\n")}`);
  });

  /// What does not fit on the current page: sideways scrolling, and
  /// logbook rows whose content is taller than the row.
  async function layoutProblems(label) {
    const found = await page.evaluate(() => {
      const out = [];
      const root = document.documentElement;
      if (root.scrollWidth > window.innerWidth + 1) {
        const wide = [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .filter((el) => !el.closest(".visually-hidden, .timeline"))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
        out.push(`scrolls sideways (${root.scrollWidth} > ${window.innerWidth}): ${wide.join(", ")}`);
      }
      const list = document.querySelector("[data-testid=logbook-list]");
      if (list) {
        const box = list.getBoundingClientRect();
        for (const row of list.querySelectorAll("[data-testid=entry-row]")) {
          const r = row.getBoundingClientRect();
          if (r.bottom <= box.top || r.top >= box.bottom) continue;
          if (row.scrollHeight > row.clientHeight + 1) {
            out.push(`row ${row.getAttribute("href")} is cut off (${row.scrollHeight} > ${row.clientHeight})`);
          }
        }
      }
      return out;
    });
    return found.map((f) => `${label}: ${f}`);
  }

  async function rowsInDom() {
    return page.getByTestId("entry-row").count();
  }

  test("at 320 px wide and at 200% zoom nothing scrolls sideways and no logbook row is cut off", async () => {
    const problems = [];
    for (const size of [
      { width: 320, height: 640 },
      { width: 640, height: 400 },
    ]) {
      await page.setViewportSize(size);
      const at = `${size.width}x${size.height}`;
      for (const lang of ["nl", "en"]) {
        await setLanguage(lang);
        for (const [base, entry] of [
          [made, madeEntry],
          [SAMPLE_ID, sampleEntry],
        ]) {
          for (const [path, shows] of DOSSIER_ROUTES) {
            await visit(`/d/${base}${path}`, shows);
            problems.push(...(await layoutProblems(`${at} ${lang} /d/${base}${path}`)));
          }
          await visit(entry, ".entry-full");
          problems.push(...(await layoutProblems(`${at} ${lang} ${entry}`)));
        }
        for (const [path, shows] of APP_ROUTES) {
          await visit(path, shows);
          problems.push(...(await layoutProblems(`${at} ${lang} ${path}`)));
        }
      }
      // The long logbook: at the top, further down, in child mode, and
      // with the text twice as large (the browser's text size setting);
      // it stays windowed.
      await setLanguage("nl");
      await visit(`/d/${SAMPLE_ID}`, "[data-testid=entry-row]");
      const list = page.getByTestId("logbook-list");
      await list.evaluate((el) => {
        el.scrollTop = 40_000;
      });
      await page.waitForFunction(
        () => Number(document.querySelector("[data-testid=entry-row]")?.style.top.replace("px", "")) > 30_000,
        null,
        { timeout: STEP_MS },
      );
      problems.push(...(await layoutProblems(`${at} logbook scrolled`)));
      await page.getByTestId("child-mode").click();
      await page.locator(".timeline.child [data-testid=entry-row]").first().waitFor();
      problems.push(...(await layoutProblems(`${at} logbook in child mode`)));
      await page.getByTestId("child-mode").click();
      await page.locator(".timeline:not(.child)").waitFor();
      await page.evaluate(() => {
        document.documentElement.style.fontSize = "200%";
      });
      // The list measures its rows again when the text grows.
      await page
        .waitForFunction(
          () => {
            const row = document.querySelector("[data-testid=entry-row]");
            return row && row.scrollHeight <= row.clientHeight + 1;
          },
          null,
          { timeout: 5_000 },
        )
        .catch(() => {});
      problems.push(...(await layoutProblems(`${at} logbook with text at 200%`)));
      const rows = await rowsInDom();
      assert.ok(rows > 0 && rows < 60, `${at}: ${rows} rows in the DOM with large text`);
      await page.evaluate(() => {
        document.documentElement.style.fontSize = "";
      });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(errors, []);
    assert.equal(problems.length, 0, `layout problems:\n${problems.join("\n")}`);
  });

  /// Where the keyboard focus is, and whether it can be seen.
  async function focused() {
    return page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const shows = (node) => {
        const s = getComputedStyle(node);
        const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
        return outline || (s.boxShadow && s.boxShadow !== "none");
      };
      // A visually hidden input shows its focus on its label.
      const r = el.getBoundingClientRect();
      const holder = r.width <= 1 || r.height <= 1 ? el.closest("label") ?? el.parentElement : el;
      return {
        id: el.dataset.testid ?? "",
        tag: el.tagName.toLowerCase(),
        cls: el.className && typeof el.className === "string" ? el.className : "",
        href: el.getAttribute("href") ?? "",
        lang: el.dataset.lang ?? "",
        text: (el.innerText ?? "").trim().slice(0, 40),
        visible: shows(holder),
      };
    });
  }

  test("a dossier's home works with the keyboard alone, in a sensible order, with a visible focus", async () => {
    await page.goto(`${relay.url}/d/${made}`);
    await page.waitForFunction(
      () => document.querySelector("[data-testid=entry-count]")?.textContent === "1",
      null,
      { timeout: STEP_MS },
    );
    const stops = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const f = await focused();
      if (!f) break;
      stops.push(f);
      if (f.id === "entry-row") break;
    }
    const names = stops.map((s) => s.id || (s.lang && `lang-${s.lang}`) || `${s.tag}${s.href ? ` ${s.href}` : ""}`);
    const where = (name) => names.indexOf(name);
    const invisible = stops.filter((s) => !s.visible).map((s) => `${s.tag}.${s.cls} ${s.id} "${s.text}"`);
    assert.deepEqual(invisible, [], `focus not visible on:\n${invisible.join("\n")}`);
    const order = [
      "skip-link",
      "a /",
      "lang-nl",
      "lang-en",
      "settings-link",
      "nav-logbook",
      "nav-expectations",
      "nav-agreement",
      "nav-conversations",
      "nav-together",
      "nav-measurement",
      "nav-people",
      "entry-body",
      "entry-tags",
      "save-entry",
      "entry-row",
    ];
    for (const name of order) {
      assert.ok(where(name) >= 0, `Tab never reaches ${name}; stops: ${names.join(", ")}`);
    }
    for (let i = 1; i < order.length; i++) {
      assert.ok(where(order[i - 1]) < where(order[i]), `${order[i - 1]} before ${order[i]}: ${names.join(", ")}`);
    }
    // The tabs follow one another, and the kinds come before the text.
    assert.equal(where("nav-people") - where("nav-logbook"), 6, names.join(", "));
    const kinds = stops.map((s, i) => (s.cls.includes("kind") ? i : -1)).filter((i) => i >= 0);
    assert.ok(kinds.length >= 3 && kinds.every((i) => i > where("nav-people") && i < where("entry-body")), names.join(", "));

    // "Skip to content" jumps past the header: the next stop is the tabs.
    await page.reload();
    await page.getByTestId("entry-count").waitFor();
    await page.keyboard.press("Tab");
    assert.equal((await focused())?.id, "skip-link");
    const onTop = await page.evaluate(() => {
      const link = document.activeElement;
      const r = link.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return r.x >= 0 && r.y >= 0 && (hit === link || link.contains(hit));
    });
    assert.ok(onTop, "the focused skip link shows on top of the header");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    await page.keyboard.press("Tab");
    assert.equal((await focused())?.id, "nav-logbook");
    assert.equal(new URL(page.url()).pathname, `/d/${made}`);

    // Writing a new entry: back to the form, a kind with Space, the text,
    // saved with Enter.
    await page.getByTestId("entry-body").focus();
    await page.keyboard.press("Shift+Tab");
    const kind = await focused();
    assert.ok(kind.cls.includes("kind"), `Shift+Tab from the text reaches a kind, not ${JSON.stringify(kind)}`);
    await page.keyboard.press("Space");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-pressed")), "true");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).id, "entry-body");
    await page.keyboard.type("Met het toetsenbord geschreven: Sem wil morgen weer lezen.");
    for (let i = 0; i < 8 && (await focused()).id !== "save-entry"; i++) {
      await page.keyboard.press("Tab");
    }
    assert.equal((await focused()).id, "save-entry");
    await page.keyboard.press("Enter");
    await page.getByTestId("entry-row").filter({ hasText: "Met het toetsenbord geschreven" }).waitFor();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=entry-count]")?.textContent === "2",
      null,
      { timeout: STEP_MS },
    );
    assert.equal(await page.getByTestId("entry-body").inputValue(), "");
    assert.deepEqual(errors, []);
  });
});
