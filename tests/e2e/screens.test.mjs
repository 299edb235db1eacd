// The weekly screens as the people use them, with the real relay on
// 127.0.0.1: a teacher on a laptop and a parent on a phone (two browser
// contexts) propose and agree expectations, write the guidance agreement
// together, sign it, see a later edit void the signatures, write in the same
// section while both are offline, and print the agreement. Screenshots of
// each screen at phone and laptop size land in target/e2e-screens (not in
// git) to be looked at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchBrowser, openAppAt, startRelay, STEP_MS } from "./harness.mjs";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const SHOTS = join(ROOT, "target", "e2e-screens");
const SYNC_MS = 15_000;

describe("the weekly screens", { timeout: 300_000 }, () => {
  let relay;
  let browser;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function shot(page, name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function waitForSync(page, timeout = SYNC_MS) {
    await page.waitForFunction(
      () => document.querySelector("[data-testid=sync-status]")?.dataset.sync === "up-to-date",
      null,
      { timeout },
    );
  }

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

  /// The teacher starts a dossier on a laptop; the parent joins on a phone.
  async function teacherAndParent(lang) {
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const t = await openAppAt(laptop, relay.url, "/");
    if (lang === "en") {
      await t.page.locator(".language-switch button[data-lang=en]").click();
    }
    await t.page.getByTestId("start-create").click();
    const form = t.page.getByTestId("new-dossier-form");
    await form.getByTestId("child-name").fill("Noor");
    await form.getByTestId("group").fill("groep 5");
    await form.getByTestId("my-name").fill("Juf Anna");
    await form.locator("input[data-role=teacher]").check();
    await form.getByTestId("create-dossier").click();
    await t.page.waitForURL(/\/d\/[^/]+$/);
    const id = new URL(t.page.url()).pathname.split("/")[2];
    await waitForSync(t.page);
    const p = await openAppAt(phone, relay.url, await inviteLink(t.page, id));
    if (lang === "en") {
      await p.page.locator(".language-switch button[data-lang=en]").click();
    }
    await p.page.waitForURL(/\/d\/[0-9a-f]{32}$/, { timeout: STEP_MS });
    const join = p.page.getByTestId("new-person-form");
    await join.getByTestId("new-person-name").fill("Eva");
    await join.locator("input[data-role=parent]").check();
    await join.getByTestId("new-person-join").click();
    await p.page.getByTestId("writing-as").waitFor();
    await waitForSync(p.page);
    // A joined device names the dossier by its public id, the creator by
    // its own: each device has its own addresses.
    const pid = new URL(p.page.url()).pathname.split("/")[2];
    return { laptop, phone, t: t.page, p: p.page, id, pid, errors: [t.errors, p.errors] };
  }

  async function sectionText(page, field) {
    return page.getByTestId(`agreement-${field}`).inputValue();
  }

  /// Types into a section and waits until the field says it is saved.
  async function typeInSection(page, field, text) {
    const area = page.getByTestId(`agreement-${field}`);
    await area.click();
    await page.keyboard.press("End");
    await page.keyboard.type(text);
    await area.blur();
    await page.waitForFunction(
      (f) =>
        document
          .querySelector(`[data-testid=agreement-${f}]`)
          ?.closest(".shared-text")
          ?.querySelector(".field-state")?.dataset.state === "saved",
      field,
    );
  }

  for (const lang of ["nl", "en"]) {
    test(`teacher and parent agree expectations and sign the agreement; an edit voids the signatures; print shows them (${lang})`, async () => {
      const { laptop, phone, t, p, id, pid, errors } = await teacherAndParent(lang);
      try {
      const words =
        lang === "nl"
          ? { agreed: "eens", outdated: "Niet meer geldig", home: "wat we thuis doen" }
          : { agreed: "agrees", outdated: "No longer valid", home: "what we do at home" };

      // The teacher proposes what the school expects of the parents.
      await t.getByTestId("nav-expectations").click();
      await t.waitForURL(/\/expectations$/);
      await t.getByTestId("new-point-school-of-parents").fill("Samen één keer per week lezen.");
      await t.getByTestId("propose-school-of-parents").click();
      await t.locator("[data-list=school-of-parents] [data-testid=expectation]").waitFor();
      await shot(t, `expectations-laptop-${lang}`);

      // The parent sees it on the phone and agrees for the parents.
      await p.goto(`${relay.url}/d/${pid}/expectations`);
      const point = p.locator("[data-list=school-of-parents] [data-testid=expectation]");
      await point.waitFor({ timeout: SYNC_MS });
      await point.getByTestId("agree").click();
      await point.locator("li.agrees[data-party=parents]").waitFor();
      await shot(p, `expectations-phone-${lang}`);
      // ... and the teacher sees the parents' mark arrive.
      await t
        .locator("[data-list=school-of-parents] li.agrees[data-party=parents]")
        .waitFor({ timeout: SYNC_MS });
      assert.match(
        await t.locator("[data-list=school-of-parents] li[data-party=parents]").textContent(),
        new RegExp(words.agreed),
      );

      // The teacher writes the goals; the parent sees them.
      await t.getByTestId("nav-agreement").click();
      await t.waitForURL(/\/agreement$/);
      await typeInSection(t, "goals", "Noor leest elke week een boek naar keuze.");
      await p.goto(`${relay.url}/d/${pid}/agreement`);
      await p.waitForFunction(
        () =>
          document.querySelector("[data-testid=agreement-goals]")?.value ===
          "Noor leest elke week een boek naar keuze.",
        null,
        { timeout: SYNC_MS },
      );

      // Both sign.
      await t.getByTestId("sign").click();
      await t.getByTestId("you-signed").waitFor();
      await p.locator("[data-testid=signature][data-state=valid]").first().waitFor({ timeout: SYNC_MS });
      await p.getByTestId("sign").click();
      await p.getByTestId("you-signed").waitFor();
      await t
        .locator("[data-testid=signature][data-state=valid]")
        .nth(1)
        .waitFor({ timeout: SYNC_MS });
      await shot(t, `agreement-signed-laptop-${lang}`);

      // The parent changes what happens at home: both signatures are void,
      // and the teacher is told what changed.
      await typeInSection(p, "approach-home", "We gaan samen naar de bibliotheek.");
      await t
        .locator("[data-testid=signature][data-state=outdated]")
        .nth(1)
        .waitFor({ timeout: SYNC_MS });
      assert.equal(await t.locator("[data-testid=signature][data-state=valid]").count(), 0);
      assert.match(await t.getByTestId("signatures").textContent(), new RegExp(words.outdated));
      assert.match(
        await t.getByTestId("changed-since").first().textContent(),
        new RegExp(words.home),
      );
      await t.getByTestId("sign").waitFor();
      await shot(p, `agreement-outdated-phone-${lang}`);

      // The home says so too.
      await t.getByTestId("nav-logbook").click();
      await t.getByTestId("dossier-home").waitFor();
      assert.ok(await t.locator(".home-facts li.attention").count(), "home flags the agreement");
      await shot(t, `home-laptop-${lang}`);

      // Print: the agreement's text and its signatures, no text areas, no
      // tabs, headed with the child.
      await t.getByTestId("nav-agreement").click();
      await t.emulateMedia({ media: "print" });
      assert.ok(await t.locator(".print-head").isVisible(), "the print head shows");
      assert.match(await t.locator(".print-head").textContent(), /Noor/);
      assert.ok(await t.getByTestId("signatures").isVisible(), "signatures are printed");
      assert.ok(!(await t.getByTestId("agreement-goals").isVisible()), "no text areas in print");
      assert.ok(!(await t.locator(".dossier-nav").isVisible()), "no tabs in print");
      assert.match(
        await t.locator(".agreement-section[data-section=goals] .print-text").textContent(),
        /boek naar keuze/,
      );
      await shot(t, `agreement-print-${lang}`);
      await t.emulateMedia({ media: "screen" });

      assert.deepEqual(errors.flat(), [], "no page errors");
      } catch (error) {
        await shot(t, `failed-laptop-${lang}`);
        await shot(p, `failed-phone-${lang}`);
        throw error;
      } finally {
        await laptop.close();
        await phone.close();
      }
    });
  }

  test("the teacher reacts to the family's entry; a conversation is planned, both write their input, an action shows on the parent's home", async () => {
    const { laptop, phone, t, p, id, pid, errors } = await teacherAndParent("nl");
    try {
      // The parent writes in the logbook with the child.
      const form = p.getByTestId("new-entry-form");
      await form.locator("button.kind[data-kind=proud_of]").click();
      await form.getByTestId("entry-body").fill("Noor heeft zelf een raket gebouwd.");
      await form.getByTestId("save-entry").click();

      // The teacher opens it, reacts and comments.
      await t.locator(".entry-preview", { hasText: "raket" }).first().waitFor({ timeout: SYNC_MS });
      await t.locator(".entry-preview", { hasText: "raket" }).first().click();
      await t.getByTestId("entry-full").waitFor();
      await t.locator("[data-testid=reaction][data-emoji='👏']").click();
      await t.locator("[data-testid=reaction][data-emoji='👏'][aria-pressed=true]").waitFor();
      await t.getByTestId("comment-body").fill("Wat knap! Mag hij hem in de klas laten zien?");
      await t.getByTestId("post-comment").click();
      await t.getByTestId("entry-comment").waitFor();
      await shot(t, "entry-comment-laptop");

      // The parent sees the comment, marked as from school.
      await p.locator(".entry-preview", { hasText: "raket" }).first().click();
      await p
        .locator("[data-testid=entry-comment].from-school", { hasText: "Wat knap" })
        .waitFor({ timeout: SYNC_MS });
      assert.match(await p.locator("[data-testid=reaction][data-emoji='👏']").textContent(), /1/);
      await shot(p, "entry-comment-phone");

      // The teacher plans a progress conversation in two weeks.
      await t.goto(`${relay.url}/d/${id}/conversations`);
      await t.getByTestId("plan-conversation").click();
      const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
      await t.getByTestId("conversation-date").fill(inTwoWeeks);
      await t.getByTestId("add-conversation").click();
      const conv = t.getByTestId("conversation");
      await conv.waitFor();
      await conv.getByTestId("input-school").fill("Rekenen gaat snel; verrijking werkt.");
      await conv.getByTestId("input-school").blur();

      // The parent writes the parents' view beside it.
      await p.goto(`${relay.url}/d/${pid}/conversations`);
      const pconv = p.getByTestId("conversation");
      await pconv.waitFor({ timeout: SYNC_MS });
      await pconv
        .locator(".party-input[data-party=school]", { hasText: "verrijking werkt" })
        .waitFor({ timeout: SYNC_MS });
      assert.equal(await pconv.getByTestId("input-school").count(), 0, "a parent does not write the school's view");
      await pconv.getByTestId("input-parents").fill("Thuis stelt hij veel vragen over sterren.");
      await pconv.getByTestId("input-parents").blur();
      await conv
        .locator(".party-input[data-party=parents]", { hasText: "sterren" })
        .waitFor({ timeout: SYNC_MS });

      // Notes during the meeting, and an action for the parent.
      const notes = conv.getByTestId("conversation-notes");
      await notes.click();
      await t.keyboard.type("We kiezen samen een boek over sterren.");
      await notes.blur();
      await conv.getByTestId("action-what").fill("Boek over sterren lenen");
      const parentId = await conv
        .locator("[data-testid=action-owner] option", { hasText: "Eva" })
        .getAttribute("value");
      await conv.getByTestId("action-owner").selectOption(parentId);
      await conv.getByTestId("add-action").click();
      await conv.getByTestId("conversation-action").waitFor();
      await shot(t, "conversation-laptop");

      // The parent's home shows the next conversation and the open action.
      await p.getByTestId("nav-logbook").click();
      await p.getByTestId("dossier-home").waitFor();
      await p.waitForFunction(
        () => /1/.test(document.querySelector("[data-testid=dossier-home]")?.textContent ?? "") &&
          /gesprek/i.test(document.querySelector("[data-testid=home-conversation]")?.textContent ?? ""),
        null,
        { timeout: SYNC_MS },
      );
      assert.match(await p.getByTestId("dossier-home").textContent(), /Open afspraken uit gesprekken: 1/);
      // The action itself is listed, with who does it.
      assert.match(await p.getByTestId("home-todo-item").innerText(), /^Boek over sterren lenen · Eva/);
      await shot(p, "home-todo-phone");
      await p.getByTestId("nav-conversations").click();
      await p
        .getByTestId("conversation-notes")
        .evaluate((el) => el.value)
        .then((v) => assert.match(v, /boek over sterren/));
      await shot(p, "conversation-phone");

      // The teacher prints the conversation's report: only that one, with
      // everyone's input and the notes, under the child's name.
      await t.evaluate(() => {
        window.__printed = 0;
        window.print = () => {
          window.__printed += 1;
        };
      });
      await conv.getByTestId("print-report").click();
      await t.waitForFunction(() => window.__printed === 1);
      await t.emulateMedia({ media: "print" });
      assert.ok(await conv.isVisible(), "the conversation is printed");
      assert.ok(!(await t.locator(".dossier-nav").isVisible()), "no tabs in print");
      assert.match(await conv.locator(".print-head").innerText(), /Noor · Gespreksverslag/);
      const report = await conv.innerText();
      assert.match(report, /verrijking werkt/);
      assert.match(report, /sterren/);
      assert.match(report, /Boek over sterren lenen/);
      await shot(t, "conversation-print");
      await t.emulateMedia({ media: "screen" });
      assert.deepEqual(errors.flat(), [], "no page errors");
    } catch (error) {
      await shot(t, "failed-laptop-responses");
      await shot(p, "failed-phone-responses");
      throw error;
    } finally {
      await laptop.close();
      await phone.close();
    }
  });

  const CHILD_WORDS = {
    nl: { me: "door mij geschreven", child: "door het kind geschreven", shown: "1 van de 2 berichten" },
    en: { me: "written by me", child: "written by the child", shown: "1 of 2 entries" },
  };

  for (const lang of ["nl", "en"]) {
    test(`the child writes on the parent's phone in child mode; the teacher narrows the logbook by kind, author and label (${lang})`, async () => {
      const { laptop, phone, t, p, errors } = await teacherAndParent(lang);
      const words = CHILD_WORDS[lang];
      try {
        // The parent writes an entry with two labels.
        const form = p.getByTestId("new-entry-form");
        await form.locator("button.kind[data-kind=discovery]").click();
        await form.getByTestId("entry-body").fill("Noor las thuis een heel boek over planeten.");
        await form.getByTestId("entry-tags").fill("lezen, Ruimte");
        await form.getByTestId("save-entry").click();
        await p.waitForFunction(() => document.querySelector("[data-testid=entry-body]")?.value === "");

        // Then hands the phone to Noor: child mode.
        await p.getByTestId("child-mode").click();
        await p.locator("[data-testid=new-entry-form].child").waitFor();
        assert.equal(await form.getByTestId("entry-tags").count(), 0, "no labels to fill in for a child");
        assert.equal(await p.getByTestId("dossier-home").count(), 0, "the home is out of the way");
        const kindBox = await form.locator("button.kind[data-kind=proud_of]").boundingBox();
        assert.ok(kindBox.height >= 96, `a big target for a child's finger: ${kindBox.height} px`);
        await form.locator("button.kind[data-kind=proud_of]").click();
        await form.getByTestId("entry-body").fill("Ik heb zelf een raket gebouwd!");
        await shot(p, `child-mode-phone-${lang}`);
        await form.getByTestId("save-entry").click();
        const childRow = p.getByTestId("entry-row").filter({ hasText: "raket" });
        await childRow.waitFor();
        assert.match(await childRow.innerText(), new RegExp(words.me));

        // Child mode stays on for this dossier on this device, also after
        // a reload, until the parent switches it off.
        await p.reload();
        await p.locator("[data-testid=new-entry-form].child").waitFor();
        await p.getByTestId("child-mode").click();
        await form.getByTestId("entry-tags").waitFor();
        await waitForSync(p);

        // The teacher sees the child's own words marked as such, the dates
        // in words, and narrows the logbook down.
        const rows = t.getByTestId("entry-row");
        await t.waitForFunction(
          () => document.querySelectorAll("[data-testid=entry-row]").length === 2,
          null,
          { timeout: SYNC_MS },
        );
        const fromChild = rows.filter({ hasText: "raket" });
        assert.match(await fromChild.innerText(), new RegExp(words.child));
        assert.match(await fromChild.locator(".entry-date").innerText(), /^\d{1,2} \p{L}+ \d{4}$/u);
        const filter = t.getByTestId("logbook-filter");
        await filter.getByTestId("filter-author").selectOption("child");
        await t.waitForFunction(() => document.querySelectorAll("[data-testid=entry-row]").length === 1);
        assert.match(await rows.first().innerText(), /raket/);
        assert.equal(await filter.getByTestId("filter-shown").innerText(), words.shown);
        await filter.getByTestId("filter-author").selectOption("");
        await filter.getByTestId("filter-tag").selectOption("lezen");
        await t.waitForFunction(() => document.querySelectorAll("[data-testid=entry-row]").length === 1);
        assert.match(await rows.first().innerText(), /planeten/);
        // Only kinds in the logbook are offered; together the choices
        // can leave nothing.
        const kinds = await filter.locator("[data-testid=filter-kind] option").evaluateAll((o) => o.map((x) => x.value));
        assert.deepEqual(kinds, ["", "discovery", "proud_of"]);
        await filter.getByTestId("filter-author").selectOption("child");
        await t.getByTestId("filtered-out").waitFor();
        await shot(t, `logbook-filter-laptop-${lang}`);
        await filter.getByTestId("filter-clear").click();
        await t.waitForFunction(() => document.querySelectorAll("[data-testid=entry-row]").length === 2);

        // The teacher prints this month's logbook: every entry in full,
        // oldest first, under the child's name; nothing else on paper.
        await t.evaluate(() => {
          window.__printed = 0;
          window.print = () => {
            window.__printed += 1;
          };
        });
        const choice = t.getByTestId("logbook-print-choice");
        await choice.locator("summary").click();
        await choice.getByTestId("print-logbook").click();
        await t.waitForFunction(() => window.__printed === 1);
        await t.emulateMedia({ media: "print" });
        const printed = t.getByTestId("logbook-print");
        assert.ok(await printed.isVisible(), "the printed logbook shows");
        assert.ok(!(await t.getByTestId("logbook-list").isVisible()), "the timeline is not printed");
        assert.ok(!(await t.getByTestId("new-entry-form").isVisible()), "the form is not printed");
        assert.match(await printed.locator(".print-head").innerText(), /Noor/);
        const bodies = await printed.locator(".printed-entry .entry-body").allInnerTexts();
        assert.deepEqual(bodies, ["Noor las thuis een heel boek over planeten.", "Ik heb zelf een raket gebouwd!"]);
        await shot(t, `logbook-print-${lang}`);
        await t.emulateMedia({ media: "screen" });
        assert.deepEqual(errors.flat(), [], "no page errors");
      } catch (error) {
        await shot(t, `failed-laptop-child-${lang}`);
        await shot(p, `failed-phone-child-${lang}`);
        throw error;
      } finally {
        await laptop.close();
        await phone.close();
      }
    });
  }

  const HOME_WORDS = {
    nl: { tried: "Geprobeerd door: Juf Anna", nobody: "Nog door niemand geprobeerd." },
    en: { tried: "Tried by: Juf Anna", nobody: "Nobody tried it yet." },
  };

  for (const lang of ["nl", "en"]) {
    test(`the school puts a question for home, the child answers it in the logbook; the parent shares a tip and the teacher tried it (${lang})`, async () => {
      const { laptop, phone, t, p, id, pid, errors } = await teacherAndParent(lang);
      const words = HOME_WORDS[lang];
      try {
        await t.goto(`${relay.url}/d/${id}/together`);
        const prompts = t.getByTestId("home-prompts");
        await prompts.getByTestId("no-prompts").waitFor();
        await prompts.getByTestId("new-prompt").click();
        await prompts.getByTestId("prompt-title").fill("Ruimte");
        await prompts.getByTestId("prompt-question").fill("Welke planeet zou jij willen bezoeken, en waarom?");
        await prompts.getByTestId("post-prompt").click();
        await prompts.getByTestId("home-prompt").waitFor();

        // A parent does not post questions for home, but answers them.
        await p.goto(`${relay.url}/d/${pid}/together`);
        const question = p.getByTestId("home-prompt").filter({ hasText: "planeet" });
        await question.waitFor({ timeout: SYNC_MS });
        assert.equal(await p.getByTestId("new-prompt").count(), 0);
        await question.getByTestId("answer-prompt").click();
        const form = question.getByTestId("new-entry-form");
        await form.getByTestId("entry-body").fill("Mars, want daar is het rood en er zijn vulkanen.");
        await form.locator("input[type=checkbox]").check();
        await form.getByTestId("save-entry").click();
        await question.getByTestId("prompt-answer").filter({ hasText: "Mars" }).waitFor();
        assert.equal(await question.getByTestId("new-entry-form").count(), 0, "the form closes after saving");

        // The parent shares a tip; it links to the library.
        const sources = p.getByTestId("sources");
        await sources.getByTestId("new-source").click();
        await sources.getByTestId("source-title").fill("Het grote ruimteboek");
        await sources.getByTestId("source-kind").selectOption("book");
        await sources.getByTestId("source-link").fill("https://bibliotheek.example/ruimteboek");
        await sources.getByTestId("source-note").fill("Noor las het in één week uit.");
        await sources.getByTestId("add-source").click();
        const tip = sources.getByTestId("source").filter({ hasText: "ruimteboek" });
        await tip.waitFor();
        assert.equal(await tip.getByTestId("tried-by").innerText(), words.nobody);
        assert.equal(await tip.locator("a").getAttribute("rel"), "noopener noreferrer");
        await shot(p, `together-phone-${lang}`);
        await waitForSync(p);

        // The teacher sees the answer, in the logbook too, and tried the tip.
        await t.getByTestId("prompt-answer").filter({ hasText: "Mars" }).waitFor({ timeout: SYNC_MS });
        const tTip = t.getByTestId("source").filter({ hasText: "ruimteboek" });
        await tTip.waitFor({ timeout: SYNC_MS });
        await tTip.getByTestId("we-tried-it").click();
        await t
          .getByTestId("source")
          .filter({ hasText: "ruimteboek" })
          .locator("[data-testid=we-tried-it][aria-pressed=true]")
          .waitFor();
        await shot(t, `together-laptop-${lang}`);
        await p.getByTestId("tried-by").filter({ hasText: words.tried }).waitFor({ timeout: SYNC_MS });
        await t.getByTestId("nav-logbook").click();
        await t.locator(".entry-preview", { hasText: "Mars" }).waitFor();
        assert.deepEqual(errors.flat(), [], "no page errors");
      } catch (error) {
        await shot(t, `failed-laptop-together-${lang}`);
        await shot(p, `failed-phone-together-${lang}`);
        throw error;
      } finally {
        await laptop.close();
        await phone.close();
      }
    });
  }

  const MEASURE_WORDS = {
    nl: { none: "Je beantwoordde 0 van de 10 zinnen.", done: "Je beantwoordde 10 van de 10 zinnen.", one: "Je beantwoordde 1 van de 10 zinnen.", total: /Alle zinnen samen\s*3,0\s*–\s*–\s*4,0\s*5,0\s*\+1,0/ },
    en: { none: "You answered 0 of 10 sentences.", done: "You answered 10 of 10 sentences.", one: "You answered 1 of 10 sentences.", total: /All sentences together\s*3\.0\s*–\s*–\s*4\.0\s*5\.0\s*\+1\.0/ },
  };

  for (const lang of ["nl", "en"]) {
    test(`parent and teacher fill in the partnership questionnaire at the start and later and see it side by side (${lang})`, async () => {
      const { laptop, phone, t, p, id, pid, errors } = await teacherAndParent(lang);
      const words = MEASURE_WORDS[lang];
      /// Answers every sentence with `score`, or only the first one.
      async function answerAll(page, score, only = Infinity) {
        const statements = page.locator("[data-testid=questionnaire] fieldset.statement");
        await statements.first().waitFor();
        const n = Math.min(await statements.count(), only);
        assert.ok(n >= 1);
        for (let i = 0; i < n; i++) {
          await statements.nth(i).locator(`input[value="${score}"]`).check();
        }
      }
      try {
        await p.goto(`${relay.url}/d/${pid}/measurement`);
        await p.getByTestId("no-answers").waitFor();
        await answerAll(p, 3);
        await p.getByTestId("answered").filter({ hasText: words.done }).waitFor();
        // A changed mind: the last answer counts.
        await p.locator("fieldset.statement").first().locator('input[value="2"]').check();
        await p.locator("fieldset.statement").first().locator('input[value="3"]').check();
        await shot(p, `measurement-phone-${lang}`);

        await t.goto(`${relay.url}/d/${id}/measurement`);
        await answerAll(t, 4);
        await t.getByTestId("answered").filter({ hasText: words.done }).waitFor();
        await t.locator("input[data-moment=end]").check();
        await t.getByTestId("answered").filter({ hasText: words.none }).waitFor();
        await answerAll(t, 5);
        // The parents' average waits until the parent's answers arrive.
        await t
          .getByTestId("comparison-total")
          .filter({ hasText: words.total })
          .waitFor({ timeout: SYNC_MS });
        assert.equal(await t.locator("[data-testid=comparison-table] th[scope=colgroup]").count(), 2, "parents and school; the child did not answer");
        await shot(t, `measurement-laptop-${lang}`);

        // Later, the parent answers one sentence; the start stays as it was.
        await p.locator("input[data-moment=end]").check();
        await answerAll(p, 4, 1);
        await p.getByTestId("answered").filter({ hasText: words.one }).waitFor();
        await p.locator("input[data-moment=baseline]").check();
        await p.getByTestId("answered").filter({ hasText: words.done }).waitFor();
        assert.deepEqual(errors.flat(), [], "no page errors");
      } catch (error) {
        await shot(t, `failed-laptop-measurement-${lang}`);
        await shot(p, `failed-phone-measurement-${lang}`);
        throw error;
      } finally {
        await laptop.close();
        await phone.close();
      }
    });
  }

  test("both offline, teacher and parent write in the same section; after reconnecting both see both texts, identically", async () => {
    const { laptop, phone, t, p, id, pid, errors } = await teacherAndParent("nl");
    await t.goto(`${relay.url}/d/${id}/agreement`);
    await typeInSection(t, "approach-school", "Verrijking op dinsdag.");
    await p.goto(`${relay.url}/d/${pid}/agreement`);
    await p.waitForFunction(
      () =>
        document.querySelector("[data-testid=agreement-approach-school]")?.value ===
        "Verrijking op dinsdag.",
      null,
      { timeout: SYNC_MS },
    );

    await laptop.setOffline(true);
    await phone.setOffline(true);
    await typeInSection(t, "approach-school", " Compacten bij rekenen.");
    await typeInSection(p, "approach-school", " Thuis een werkstuk over sterren.");
    await laptop.setOffline(false);
    await phone.setOffline(false);

    const both = (text) =>
      text.includes("Compacten bij rekenen.") &&
      text.includes("Thuis een werkstuk over sterren.") &&
      text.startsWith("Verrijking op dinsdag.");
    for (const page of [t, p]) {
      await page.waitForFunction(
        () => {
          const v = document.querySelector("[data-testid=agreement-approach-school]")?.value ?? "";
          return v.includes("Compacten bij rekenen.") && v.includes("Thuis een werkstuk over sterren.");
        },
        null,
        { timeout: 30_000 },
      );
    }
    const [onLaptop, onPhone] = [
      await sectionText(t, "approach-school"),
      await sectionText(p, "approach-school"),
    ];
    assert.ok(both(onLaptop), `laptop has both: ${onLaptop}`);
    assert.equal(onLaptop, onPhone, "both devices show the same text");
    assert.deepEqual(errors.flat(), [], "no page errors");
    await laptop.close();
    await phone.close();
  });
});

