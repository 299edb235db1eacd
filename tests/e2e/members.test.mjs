// Who belongs to a dossier, with the real relay on 127.0.0.1: a teacher
// invites a parent from the members page, the parent opens the link on a
// phone (another browser context) and joins; the teacher confirms the new
// device; the teacher moves to a new laptop with a passphrase file; a
// pasted link that is damaged gets a plain refusal; leaving removes the
// dossier from one device only. Taking a parent out re-founds the dossier:
// the parent's phone gets nothing new, the others go on, and the old link
// is used up; next school year a parent swaps the teacher in one flow.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launchBrowser, openAppAt, startRelay } from "./harness.mjs";

const SHOTS = resolve(new URL("../../target/e2e-screens", import.meta.url).pathname);
const SYNC_MS = 15_000;
const PASSPHRASE = "zomer in de klas 2027";

describe("members, invites and moving", { timeout: 300_000 }, () => {
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

  async function waitForSync(page) {
    await page.waitForFunction(
      () => document.querySelector("[data-testid=sync-status]")?.dataset.sync === "up-to-date",
      null,
      { timeout: SYNC_MS },
    );
  }

  async function createAsTeacher(page, child) {
    await page.goto(new URL("/", page.url()).href);
    await page.getByTestId("start-create").click();
    const form = page.getByTestId("new-dossier-form");
    await form.getByTestId("child-name").fill(child);
    await form.getByTestId("group").fill("groep 5");
    await form.getByTestId("my-name").fill("Juf Anna");
    await form.locator("input[data-role=teacher]").check();
    await form.getByTestId("create-dossier").click();
    await page.waitForURL(/\/d\/[^/]+$/);
    await page.getByTestId("new-entry-form").waitFor();
    return new URL(page.url()).pathname.split("/")[2];
  }

  async function saveEntry(page, text) {
    const form = page.getByTestId("new-entry-form");
    await form.locator("button.kind[data-kind=discovery]").click();
    await form.getByTestId("entry-body").fill(text);
    await form.getByTestId("save-entry").click();
    await page.locator(".entry-preview", { hasText: text }).waitFor();
  }

  test("a teacher invites a parent, confirms the parent's phone, moves to a new laptop and leaves a dossier there", async () => {
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const newLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const work = mkdtempSync(join(tmpdir(), "driehoek-move-"));
    try {
      const teacher = await openAppAt(laptop, relay.url, "/");
      const id = await createAsTeacher(teacher.page, "Noor");
      await saveEntry(teacher.page, "Noor vertelde over haar spreekbeurt");
      await waitForSync(teacher.page);

      // The members page: the teacher and the laptop, made here.
      await teacher.page.getByTestId("nav-people").click();
      await teacher.page.waitForURL(new RegExp(`/d/${id}/people$`));
      const members = teacher.page.getByTestId("member-list");
      await members.getByTestId("member").first().waitFor();
      assert.equal(await members.getByTestId("member").count(), 1);
      assert.equal(await members.locator("[data-testid=device-row][data-confirmed=true]").count(), 1);

      // An invite for a parent: a link with the secret in the fragment, and
      // a QR code of it.
      await teacher.page.getByTestId("invite-parent").click();
      const shown = teacher.page.getByTestId("invite-shown");
      await shown.waitFor();
      const link = await shown.getByTestId("invite-url").inputValue();
      assert.ok(link.startsWith(`${relay.url}/#join=`), link);
      assert.match(link, /&as=parent$/);
      assert.equal(await shown.getByTestId("invite-qr").locator("svg").count(), 1);
      await teacher.page.screenshot({ path: join(SHOTS, "members-invite-1280.png"), fullPage: true });

      // The parent opens the link on the phone, is asked who they are with
      // "parent" chosen already, and joins.
      const parent = await openAppAt(phone, relay.url, link.slice(relay.url.length));
      await parent.page.waitForURL(/\/d\/[^/#]+$/);
      assert.ok(!parent.page.url().includes("#"), `fragment gone: ${parent.page.url()}`);
      const chooser = parent.page.getByTestId("person-chooser");
      await chooser.waitFor({ timeout: SYNC_MS });
      assert.match(await chooser.getByTestId("invited-as").innerText(), /ouder/);
      assert.equal(await chooser.locator("input[data-role=parent]").isChecked(), true);
      await chooser.getByTestId("new-person-name").fill("Eva");
      await chooser.getByTestId("new-person-join").click();
      await parent.page.getByTestId("new-entry-form").waitFor();
      await parent.page.locator(".entry-preview", { hasText: "spreekbeurt" }).waitFor({ timeout: SYNC_MS });
      assert.ok(!parent.page.url().includes("join="));
      await waitForSync(parent.page);

      // The parent's phone shows its code; the teacher sees that device as
      // not confirmed yet, with the same code, and a notice on the home.
      await parent.page.getByTestId("nav-people").click();
      const phoneCode = (await parent.page.getByTestId("this-device-code").locator(".device-code").innerText()).trim();
      assert.match(phoneCode, /^[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}$/);
      await parent.page.screenshot({ path: join(SHOTS, "members-phone-390.png"), fullPage: true });

      const unconfirmed = teacher.page.locator("[data-testid=device-row][data-confirmed=false]");
      await unconfirmed.waitFor({ timeout: SYNC_MS });
      assert.equal((await unconfirmed.locator(".device-code").innerText()).trim(), phoneCode);
      await teacher.page.getByTestId("nav-logbook").click();
      await teacher.page.getByTestId("home-unconfirmed").waitFor();
      await teacher.page.getByTestId("nav-people").click();
      await unconfirmed.getByTestId("confirm-device").click();
      await teacher.page
        .locator("[data-testid=device-row][data-confirmed=false]")
        .waitFor({ state: "detached" });
      assert.match(await members.innerText(), /Bevestigd door Juf Anna/);
      await teacher.page.getByTestId("nav-logbook").click();
      assert.equal(await teacher.page.getByTestId("home-unconfirmed").count(), 0);

      // The parent's phone hears of it too.
      await parent.page
        .locator("[data-testid=device-row][data-this-device=true][data-confirmed=true]")
        .waitFor({ timeout: SYNC_MS });

      // A second class dossier, then the move: every dossier in one file.
      await createAsTeacher(teacher.page, "Sem");
      await saveEntry(teacher.page, "Sem rekende tot honderd");
      await waitForSync(teacher.page);
      await teacher.page.goto(relay.url + "/settings");
      const out = teacher.page.getByTestId("move-out");
      await out.getByTestId("move-passphrase").fill(PASSPHRASE);
      await out.getByTestId("move-passphrase-again").fill(PASSPHRASE + "!");
      await out.getByTestId("make-move-file").click();
      assert.match(await out.getByTestId("move-out-status").innerText(), /niet hetzelfde/);
      await out.getByTestId("move-passphrase-again").fill(PASSPHRASE);
      const downloading = teacher.page.waitForEvent("download");
      const sealStart = Date.now();
      await out.getByTestId("make-move-file").click();
      const download = await downloading;
      console.log(`moving file with 2 dossiers sealed (Argon2id 19 MiB, t=2) in ${Date.now() - sealStart} ms`);
      const file = join(work, download.suggestedFilename());
      await download.saveAs(file);
      await out.getByTestId("move-out-status").filter({ hasText: "2 dossiers" }).waitFor();

      // The new laptop: a wrong passphrase brings nothing; the right one
      // brings both dossiers, with the teacher already chosen in each.
      const moved = await openAppAt(newLaptop, relay.url, "/settings");
      const into = moved.page.getByTestId("move-in");
      await into.getByTestId("move-in-passphrase").fill("verkeerd wachtwoord");
      await into.getByTestId("move-in-file").setInputFiles(file);
      await into.getByTestId("move-in-status").filter({ hasText: "klopt niet" }).waitFor();
      await moved.page.goto(relay.url + "/");
      await moved.page.getByTestId("empty-dossiers").waitFor();
      await moved.page.goto(relay.url + "/settings");
      await into.getByTestId("move-in-passphrase").fill(PASSPHRASE);
      const openStart = Date.now();
      await into.getByTestId("move-in-file").setInputFiles(file);
      await into.getByTestId("move-in-status").filter({ hasText: "2 dossiers" }).waitFor();
      console.log(`moving file opened and 2 dossiers joined in ${Date.now() - openStart} ms`);
      await moved.page.goto(relay.url + "/");
      await moved.page.getByTestId("dossier-row").nth(1).waitFor();
      assert.equal(await moved.page.getByTestId("dossier-row").count(), 2);
      await moved.page.getByTestId("dossier-row").filter({ hasText: "Noor" }).locator("a").click();
      await moved.page.locator(".entry-preview", { hasText: "spreekbeurt" }).waitFor({ timeout: SYNC_MS });
      assert.equal(await moved.page.getByTestId("person-chooser").count(), 0, "the teacher is chosen");
      await moved.page.getByTestId("new-entry-form").waitFor();

      // Leaving on the new laptop removes Noor there only.
      await moved.page.getByTestId("nav-people").click();
      await waitForSync(moved.page);
      const leave = moved.page.getByTestId("leave-card");
      await leave.getByTestId("leave").click();
      assert.match(await leave.innerText(), /Noor gaat weg van dit apparaat/);
      await leave.getByTestId("leave-confirm").click();
      await moved.page.waitForURL(relay.url + "/");
      await moved.page.getByTestId("dossier-row").first().waitFor();
      assert.deepEqual(
        (await moved.page.getByTestId("dossier-row").locator(".dossier-name").allInnerTexts()).map((t) => t.trim()),
        ["Sem"],
      );
      await moved.page.reload();
      await moved.page.getByTestId("dossier-row").first().waitFor();
      assert.equal(await moved.page.getByTestId("dossier-row").count(), 1);
      // The others keep it.
      await teacher.page.goto(`${relay.url}/d/${id}`);
      await teacher.page.locator(".entry-preview", { hasText: "spreekbeurt" }).waitFor();

      // A pasted link that lost characters, or its end, is refused in
      // plain words and joins nothing.
      const paste = moved.page.getByTestId("paste-invite");
      await paste.getByTestId("paste-invite-link").fill(link.replace(/#join=(.)/, "#join=!"));
      await paste.getByTestId("paste-invite-join").click();
      assert.match(await moved.page.getByTestId("join-error").innerText(), /beschadigd/);
      await paste.getByTestId("paste-invite-link").fill(link.slice(0, link.indexOf("#join=") + 20));
      await paste.getByTestId("paste-invite-join").click();
      await moved.page.getByTestId("join-error").filter({ hasText: "niet compleet" }).waitFor();
      assert.equal(await moved.page.getByTestId("dossier-row").count(), 1);
      // The whole link pasted brings Noor back.
      await paste.getByTestId("paste-invite-link").fill(`Hoi! Hier is de link: ${link} groetjes`);
      await paste.getByTestId("paste-invite-join").click();
      await moved.page.waitForURL(new RegExp(`/d/[^/]+$`));
      await moved.page.locator(".entry-preview", { hasText: "spreekbeurt" }).waitFor({ timeout: SYNC_MS });

      // A well-formed link to a dossier the relay does not have: once
      // caught up, the device says so instead of waiting forever.
      const nowhere = `/#join=${randomBytes(32).toString("base64url")}&as=parent`;
      await moved.page.goto(relay.url + nowhere);
      await moved.page.waitForURL(/\/d\/[^/#]+$/);
      await moved.page.getByTestId("invite-leads-nowhere").waitFor({ timeout: SYNC_MS });
      assert.equal(await moved.page.getByTestId("person-chooser").count(), 0);

      assert.deepEqual(teacher.errors, []);
      assert.deepEqual(parent.errors, []);
      assert.deepEqual(moved.errors, []);
    } finally {
      await laptop.close();
      await phone.close();
      await newLaptop.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  async function joinAs(context, link, name) {
    const joined = await openAppAt(context, relay.url, link.slice(relay.url.length));
    await joined.page.waitForURL(/\/d\/[^/#]+$/);
    const chooser = joined.page.getByTestId("person-chooser");
    await chooser.waitFor({ timeout: SYNC_MS }).catch(async (e) => {
      const shown = await joined.page.locator(".app-main").innerText().catch(() => "");
      throw new Error(`${name} never got to choose who they are: ${e.message}\npage: ${shown}`);
    });
    await chooser.getByTestId("new-person-name").fill(name);
    await chooser.getByTestId("new-person-join").click();
    await joined.page.getByTestId("new-entry-form").waitFor();
    await waitForSync(joined.page);
    return joined;
  }

  async function makeInvite(page, button) {
    await page.getByTestId(button).click();
    const shown = page.getByTestId("invite-card").getByTestId("invite-shown");
    await shown.waitFor();
    return shown.getByTestId("invite-url").inputValue();
  }

  const preview = (page, text) => page.locator(".entry-preview", { hasText: text });

  test("taking a parent out leaves their phone behind, the others go on, the old link is used up, and a new school year swaps the teacher", async () => {
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const evaPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const tomPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const stranger = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const newTeacherLaptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const teacher = await openAppAt(laptop, relay.url, "/");
      const id = await createAsTeacher(teacher.page, "Lina");
      await saveEntry(teacher.page, "Lina bouwde een brug van papier");
      await waitForSync(teacher.page);
      await teacher.page.getByTestId("nav-people").click();
      const evaLink = await makeInvite(teacher.page, "invite-parent");
      const eva = await joinAs(evaPhone, evaLink, "Eva");
      const tomLink = await makeInvite(teacher.page, "invite-parent");
      const tom = await joinAs(tomPhone, tomLink, "Tom");
      // Tom signs the agreement now, under the dossier's first id.
      await tom.page.getByTestId("nav-agreement").click();
      await tom.page.getByTestId("sign").click();
      await tom.page.getByTestId("you-signed").waitFor();
      await waitForSync(tom.page);
      await tom.page.getByTestId("nav-logbook").click();

      // The teacher sees both phones, then takes Eva out.
      const devices = teacher.page.getByTestId("device-row");
      await teacher.page.waitForFunction(
        () => document.querySelectorAll("[data-testid=device-row]").length === 3,
        null,
        { timeout: SYNC_MS },
      );
      assert.equal(await devices.count(), 3);
      await waitForSync(teacher.page);
      const evaCard = teacher.page.getByTestId("member").filter({ hasText: "Eva" });
      await evaCard.getByTestId("remove-member").click();
      assert.match(await evaCard.innerText(), /Eva uit het dossier halen\?/);
      await evaCard.getByTestId("remove-member-confirm").click();
      const outcome = teacher.page.getByTestId("removal-outcome");
      await outcome.waitFor();
      assert.match(await outcome.innerText(), /Eva is uit het dossier gehaald\. Apparaten die de nieuwe sleutel kregen: 1\./);
      const former = teacher.page.getByTestId("former-people");
      await former.waitFor();
      assert.match(await former.innerText(), /Eva · ouder · Op .* uit het dossier gehaald door Juf Anna/);
      assert.equal(await teacher.page.getByTestId("member-list").getByTestId("member").count(), 2);
      await teacher.page.screenshot({ path: join(SHOTS, "members-removed-1280.png"), fullPage: true });

      // Eva's phone hears that the dossier went on without it, and says who
      // did it; it can add nothing more.
      const leftOut = eva.page.getByTestId("left-out");
      await leftOut.waitFor({ timeout: SYNC_MS });
      assert.match(await leftOut.innerText(), /Juf Anna liet dit dossier verdergaan met een nieuwe sleutel/);
      await eva.page.screenshot({ path: join(SHOTS, "members-left-out-390.png"), fullPage: true });

      // What the teacher and Tom write now reaches each other, not Eva.
      await teacher.page.getByTestId("nav-logbook").click();
      await saveEntry(teacher.page, "Na het gesprek: Lina mag verrijkingswerk doen");
      await preview(tom.page, "verrijkingswerk").waitFor({ timeout: SYNC_MS });
      await saveEntry(tom.page, "Lina wil meer weten over bruggen");
      await preview(teacher.page, "bruggen").waitFor({ timeout: SYNC_MS });
      await waitForSync(teacher.page);
      await waitForSync(tom.page);
      await eva.page.reload();
      await preview(eva.page, "brug van papier").waitFor({ timeout: SYNC_MS });
      await eva.page.getByTestId("left-out").waitFor({ timeout: SYNC_MS });
      await eva.page.waitForTimeout(1_000);
      assert.equal(await preview(eva.page, "verrijkingswerk").count(), 0, "Eva's phone got nothing new");
      assert.equal(await preview(eva.page, "meer weten over bruggen").count(), 0, "Eva's phone got nothing new");

      // Eva's old link brings nobody in any more.
      const late = await openAppAt(stranger, relay.url, evaLink.slice(relay.url.length));
      await late.page.waitForURL(/\/d\/[^/#]+$/);
      const usedUp = late.page.getByTestId("left-out");
      await usedUp.waitFor({ timeout: SYNC_MS });
      assert.match(await usedUp.innerText(), /uitnodigingslink is opgebruikt/);
      assert.equal(await preview(late.page, "verrijkingswerk").count(), 0);

      // A new school year: Tom takes Juf Anna out and gets an invite for
      // the new teacher in the same flow.
      await tom.page.getByTestId("nav-people").click();
      const flow = tom.page.getByTestId("school-year");
      await flow.getByTestId("old-teacher").check();
      await waitForSync(tom.page);
      await flow.getByTestId("school-year-go").click();
      const teacherLink = await flow.getByTestId("invite-url").inputValue();
      // Two re-foundings so far (Eva, then Juf Anna): the link says so.
      assert.match(teacherLink, /&as=teacher&epoch=2$/);
      assert.match(await tom.page.getByTestId("removal-outcome").innerText(), /Juf Anna is uit het dossier gehaald/);
      await tom.page.screenshot({ path: join(SHOTS, "members-school-year-390.png"), fullPage: true });
      const bas = await joinAs(newTeacherLaptop, teacherLink, "Meester Bas");
      await preview(bas.page, "meer weten over bruggen").waitFor({ timeout: SYNC_MS });
      await preview(bas.page, "brug van papier").waitFor();
      // Tom signed before both re-foundings; Bas never knew those secrets
      // and still sees the signature checked against Tom's phone.
      await bas.page.getByTestId("nav-agreement").click();
      const tomSigned = bas.page.getByTestId("signature").filter({ hasText: "Tom" });
      await tomSigned.locator(".device-check[data-check=verified]").waitFor({ timeout: SYNC_MS });
      await bas.page.getByTestId("nav-logbook").click();
      await teacher.page.getByTestId("left-out").waitFor({ timeout: SYNC_MS });
      await saveEntry(bas.page, "Welkom, ik ben de nieuwe leerkracht");
      await tom.page.getByTestId("nav-logbook").click();
      await preview(tom.page, "nieuwe leerkracht").waitFor({ timeout: SYNC_MS });
      await teacher.page.waitForTimeout(1_000);
      assert.equal(await preview(teacher.page, "nieuwe leerkracht").count(), 0, "the old teacher got nothing new");
      assert.equal(new URL(teacher.page.url()).pathname, `/d/${id}`);

      assert.deepEqual(teacher.errors, []);
      assert.deepEqual(tom.errors, []);
      assert.deepEqual(eva.errors, []);
      assert.deepEqual(bas.errors, []);
      assert.deepEqual(late.errors, []);
    } finally {
      await laptop.close();
      await evaPhone.close();
      await tomPhone.close();
      await stranger.close();
      await newTeacherLaptop.close();
    }
  });
});
