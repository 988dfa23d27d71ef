/**
 * node --require ./src/register.js main.ts
 *
 * Runs the project's TypeScript without a type check and without a build step. Each .ts file is transpiled
 * once per content with TypeScript's transpileModule (the sources use isolatedModules, so a file compiles
 * on its own) and kept in .workshop/cache/ts under a hash of its path and text. A run with no edits loads no
 * compiler at all; an edited file hashes differently, so the edit takes effect on the very next run.
 * Type errors are `npm run typecheck`'s job (npm test runs it first).
 *
 * It also defers two packages cdktf loads eagerly but a synth of these stacks never calls: archiver (zips for
 * TerraformAsset, with lodash and streams behind it) and semver (Terraform version checks). They load on
 * first use instead, which halves the time cdktf takes to load (about 250 modules fewer).
 */
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** Bump when the compiler options below change, so that no file compiled the old way is reused. */
const CACHE_VERSION = "1";
const cacheDir = path.join(__dirname, "..", ".workshop", "cache", "ts");
let typescript;

function transpile(source, filename) {
  typescript ??= require("typescript");
  const { ModuleKind, ScriptTarget } = typescript;
  return typescript.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true },
  }).outputText;
}

const Module = require("node:module");
const DEFERRED = new Set(["archiver", "semver"]);
const load = Module._load;
Module._load = function deferredLoad(request, parent, isMain) {
  if (!DEFERRED.has(request) || !parent || !parent.filename.includes(`${path.sep}node_modules${path.sep}cdktf${path.sep}`)) {
    return load.apply(this, arguments);
  }
  let real;
  const target = () => (real ??= load.call(this, request, parent, isMain));
  // A function target, so that calls (archiver("zip", ...)) work as well as property reads (semver.satisfies).
  return new Proxy(function deferred() {}, {
    get: (_, key) => target()[key],
    has: (_, key) => key in target(),
    apply: (_, self, args) => target().apply(self, args),
  });
};

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = createHash("sha1").update(`${CACHE_VERSION}\0${filename}\0${source}`).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    code = transpile(source, filename);
    // Write then rename: concurrent runs never read a half-written file.
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  }
  module._compile(code, filename);
};
