#!/usr/bin/env node
// The bundle (dist/bundle/, made by `pnpm build`) starts fastest; dist/main.js is the same code unbundled.
let entry;
try {
  entry = await import("../dist/bundle/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/bundle/main.js")) throw error;
  entry = await import("../dist/main.js");
}
await entry.main(process.argv.slice(2), import.meta.url);
