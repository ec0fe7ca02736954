#!/usr/bin/env node
"use strict";
// Starts git-prolly. `get`, `set`, `commit` and `textconv` run from the hot bundle (bin/load-hot.js:
// one CommonJS file compiled from a V8 code cache); everything else goes through oclif
// (dist/main.js). bin/ is CommonJS (bin/package.json), so a hot command never starts Node's ES
// module loader.
const { join } = require("node:path");
const { loadHot } = require("./load-hot.js");

async function start() {
  const argv = process.argv.slice(2);
  const root = join(__dirname, ".."); // the package oclif reads (package.json, manifest, commands)
  const hot = loadHot(); // under DEBUG it hands every command to oclif (see src/hot.ts)
  if (hot === undefined) {
    await (await import("../dist/main.js")).main(argv, root);
    return;
  }
  const rest = await hot.exports.hot(argv);
  if (rest !== undefined) await (await import("../dist/main.js")).runCommand(rest, root);
}

start();
