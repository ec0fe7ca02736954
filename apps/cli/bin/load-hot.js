"use strict";
// Loads the hot bundle, dist/hot/hot.js: the fast paths of `get`, `set`, `commit` and `textconv`
// in one CommonJS file (scripts/bundle.mjs), compiled from the V8 code cache beside it,
// hot.js.cache (scripts/code-cache.mjs). V8 checks a cache only against its source's length, so
// the file starts with the CRC-32 of the bundle it was made from: a cache of another bundle is
// not used ("stale"), one made by another Node.js or V8 is rejected by V8 ("rejected"), and the
// bundle is then compiled as usual. GIT_PROLLY_TRACE_STARTUP=1 prints which happened.
const { readFileSync, writeSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");
const zlib = require("node:zlib");

const HOT_FILE = join(__dirname, "..", "dist", "hot", "hot.js");

/**
 * The 4-byte header of a code cache: the CRC-32 of the bundle's bytes (little-endian), or
 * undefined on a Node.js without zlib.crc32 (no cache is then made or used).
 *
 * @param {Buffer} bundle the bytes of hot.js
 * @returns {Buffer | undefined}
 */
function cacheHeader(bundle) {
  if (typeof zlib.crc32 !== "function") return undefined;
  const header = Buffer.alloc(4);
  header.writeUInt32LE(zlib.crc32(bundle));
  return header;
}

/**
 * Compiles and runs the hot bundle as a CommonJS module.
 *
 * @param {string} [file] the bundle (dist/hot/hot.js)
 * @returns {{ exports: { hot(argv: string[]): Promise<string[] | undefined> }, script: vm.Script,
 *   bundle: Buffer, cache: "used" | "rejected" | "stale" | "none" } | undefined} undefined when
 *   the bundle is not built
 */
function loadHot(file = HOT_FILE) {
  let bundle;
  try {
    bundle = readFileSync(file);
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw error;
  }
  let stored;
  try {
    stored = readFileSync(`${file}.cache`);
  } catch {
    stored = undefined; // not made (yet): compile from source
  }
  const header = stored === undefined ? undefined : cacheHeader(bundle);
  const fits = header !== undefined && stored.length > 4 && header.equals(stored.subarray(0, 4));
  const script = new vm.Script(
    // latin1: the bundle is ASCII (scripts/bundle.mjs checks), and this decodes faster than UTF-8
    `(function (exports, require, module, __filename, __dirname) {${bundle.toString("latin1")}\n})`,
    {
      filename: file,
      cachedData: fits ? stored.subarray(4) : undefined,
      // no importModuleDynamically: the bundle has no import() (scripts/bundle.mjs checks)
    },
  );
  const cache = stored === undefined ? "none" : !fits ? "stale" : script.cachedDataRejected ? "rejected" : "used";
  // fd 2 directly: building process.stderr would cost what the trace is about
  if (process.env.GIT_PROLLY_TRACE_STARTUP) writeSync(2, `git-prolly: ${file}: code cache ${cache}\n`);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, bundle, cache };
}

module.exports = { loadHot, cacheHeader, HOT_FILE };
