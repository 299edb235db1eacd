#!/usr/bin/env node
// Renders the PNG app icons from their SVG sources in public/icons with
// Chromium (the one the tests use). Run after changing an SVG:
// `node tools/render-icons.mjs`; the PNGs are committed.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const ICONS = [
  { source: "icon.svg", out: "icon-192.png", size: 192 },
  { source: "icon.svg", out: "icon-512.png", size: 512 },
  { source: "icon-maskable.svg", out: "icon-maskable-512.png", size: 512 },
];
const dir = new URL("../public/icons/", import.meta.url);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  for (const { source, out, size } of ICONS) {
    const svg = readFileSync(new URL(source, dir), "utf8");
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    await page.screenshot({ path: new URL(out, dir).pathname, omitBackground: true });
    await page.close();
    console.log(`rendered ${out}`);
  }
} finally {
  await browser.close();
}
