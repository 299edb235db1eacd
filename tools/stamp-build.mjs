#!/usr/bin/env node
// Stamps a built app folder with its build id and the service worker's
// precache list. Trunk runs it as a post_build hook on its staging folder;
// it can also be run by hand: `node tools/stamp-build.mjs DIR [--build-id ID]`.
//
// Trunk names its outputs by content hash but does not list them, and the
// service worker must know them to start the app without a network.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const SERVICE_WORKER = "sw.js";
const INDEX = "index.html";
const BUILD_META = /<meta name="driehoek-build" content="[^"]*"\s*\/?>/;
const BUILD_LINE = /^const BUILD_ID = .*;$/m;
const PRECACHE_LINE = /^const PRECACHE = .*;$/m;

function fail(message) {
  console.error(`stamp-build: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  let dir = process.env.TRUNK_STAGING_DIR;
  let buildId = process.env.DRIEHOEK_BUILD_ID || "";
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--build-id") {
      buildId = argv[i + 1] ?? fail("--build-id needs a value");
      i += 1;
    } else {
      dir = argv[i];
    }
  }
  if (!dir) {
    fail("no folder given and TRUNK_STAGING_DIR is not set");
  }
  if (buildId && !/^[A-Za-z0-9._-]{1,64}$/.test(buildId)) {
    fail(`build id ${JSON.stringify(buildId)} may hold only letters, digits, '.', '_' and '-'`);
  }
  return { dir, buildId };
}

function listFiles(dir) {
  const files = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files.push(relative(dir, path).split(sep).join("/"));
      }
    }
  };
  walk(dir);
  return files;
}

const { dir, buildId: givenId } = parseArgs(process.argv.slice(2));
const files = listFiles(dir).filter((file) => file !== SERVICE_WORKER);
if (!files.includes(INDEX)) {
  fail(`${dir} has no ${INDEX}`);
}

const indexPath = join(dir, INDEX);
const workerPath = join(dir, SERVICE_WORKER);
const index = readFileSync(indexPath, "utf8");
const worker = readFileSync(workerPath, "utf8");
if (!BUILD_META.test(index)) {
  fail(`${INDEX} lacks <meta name="driehoek-build">`);
}
if (!BUILD_LINE.test(worker) || !PRECACHE_LINE.test(worker)) {
  fail(`${SERVICE_WORKER} lacks the BUILD_ID or PRECACHE line`);
}

// Function replacements below: a `$` in a file name must stay literal.
// The id follows the content: the same build gets the same id, so a
// rebuild without changes does not offer an "update" to every phone.
let buildId = givenId;
if (!buildId) {
  const hash = createHash("sha256");
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    hash.update(file);
    hash.update("\0");
    hash.update(file === INDEX ? Buffer.from(index.replace(BUILD_META, "")) : bytes);
    hash.update("\0");
  }
  hash.update(worker.replace(BUILD_LINE, "").replace(PRECACHE_LINE, ""));
  buildId = hash.digest("hex").slice(0, 12);
}

// One URL per file; "/" is not listed beside "/index.html" because
// cache.addAll refuses duplicates, and the worker answers every navigation
// with index.html anyway.
const urls = [...new Set(files.map((file) => `/${file}`))];
writeFileSync(
  indexPath,
  index.replace(BUILD_META, () => `<meta name="driehoek-build" content="${buildId}">`),
);
writeFileSync(
  workerPath,
  worker
    .replace(BUILD_LINE, () => `const BUILD_ID = ${JSON.stringify(buildId)};`)
    .replace(PRECACHE_LINE, () => `const PRECACHE = ${JSON.stringify(urls)};`),
);
console.log(`stamp-build: build ${buildId}, ${urls.length} files precached`);
