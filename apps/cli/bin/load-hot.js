"use strict";
// Loads the hot bundle, dist/hot/hot.js: the fast paths of `get`, `set`, `commit` and `textconv`
// in one CommonJS file (scripts/bundle.mjs), compiled from the V8 code cache beside it,
// hot.js.cache (scripts/code-cache.mjs). A cache made by another Node.js or V8 is rejected by V8
// and the file is compiled as usual. GIT_PROLLY_TRACE_STARTUP=1 prints which happened.
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const HOT_FILE = join(__dirname, "..", "dist", "hot", "hot.js");

/**
 * Compiles and runs the hot bundle as a CommonJS module.
 *
 * @param {string} [file] the bundle (dist/hot/hot.js)
 * @returns {{ exports: { hot(argv: string[]): Promise<string[] | undefined> }, script: vm.Script,
 *   cache: "used" | "rejected" | "none" } | undefined} undefined when the bundle is not built
 */
function loadHot(file = HOT_FILE) {
  let source;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // not made (yet): compile from source
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData, // no importModuleDynamically: the bundle has no import() (scripts/bundle.mjs checks)
  });
  const cache = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used";
  if (process.env.GIT_PROLLY_TRACE_STARTUP) process.stderr.write(`git-prolly: ${file}: code cache ${cache}\n`);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cache };
}

module.exports = { loadHot, HOT_FILE };
