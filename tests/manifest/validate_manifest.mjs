// Validate an unpacked Teams app package against the JSON schemas bundled in the npm package
// @microsoft/app-manifest, offline.
//
//   node tests/manifest/validate_manifest.mjs DIR [NODE_MODULES]
//
// DIR holds manifest.json and its localisation files. NODE_MODULES defaults to .ci/node_modules
// of this repository (or $APP_MANIFEST_NODE_MODULES). The schema files are read from the package
// and passed in explicitly, so the library never falls back to downloading them.
// Prints one JSON object {file: [errors...]} and exits 0 when every list is empty, 1 otherwise,
// 3 when the package or a schema version is missing.
//
// Upstream defect worked around here: the bundled Localization schemas (v1.22 to v1.30 at least)
// contain two patternProperties keys with an unescaped "]" (`...\b]\.description$`). Ajv compiles
// patterns with the "u" flag, where a lone "]" is a syntax error, so validateAgainstSchema throws
// on every localisation file. Outside a character class a lone "]" can only mean a literal "]",
// so escaping it keeps the pattern's meaning; the repaired keys are reported in the output.
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [dir, modulesArg] = process.argv.slice(2);
const nodeModules =
  modulesArg ?? process.env.APP_MANIFEST_NODE_MODULES ?? path.resolve(here, "../../.ci/node_modules");

function fail(code, message) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
}

function loadPackage() {
  const require = createRequire(path.join(nodeModules, "noop.js"));
  try {
    const entry = require.resolve("@microsoft/app-manifest", { paths: [nodeModules] });
    return { lib: require(entry), root: path.resolve(path.dirname(entry), "..") };
  } catch (error) {
    return fail(3, `@microsoft/app-manifest not found under ${nodeModules}: ${error.message}`);
  }
}

function localSchema(root, version, file) {
  const schemaPath = path.join(root, "build", "json-schemas", "teams", `v${version}`, file);
  if (!existsSync(schemaPath)) fail(3, `schema v${version}/${file} is not bundled in ${root}`);
  return readJson(schemaPath);
}

function escapeLoneBrackets(pattern) {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === "\\") {
      out += c + (pattern[i + 1] ?? "");
      i += 1;
    } else if (c === "[" && !inClass) {
      inClass = true;
      out += c;
    } else if (c === "]") {
      out += inClass ? c : "\\]";
      inClass = false;
    } else {
      out += c;
    }
  }
  return out;
}

function compilesAsUnicode(pattern) {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

// Returns a copy of `schema` whose patterns compile with the "u" flag; collects what it changed.
function repairPatterns(node, repaired) {
  if (Array.isArray(node)) return node.map((item) => repairPatterns(item, repaired));
  if (node === null || typeof node !== "object") return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "patternProperties") {
      copy[key] = Object.fromEntries(Object.entries(value).map(([pattern, sub]) => {
        const fixed = compilesAsUnicode(pattern) ? pattern : escapeLoneBrackets(pattern);
        if (fixed !== pattern) repaired.push(pattern);
        return [fixed, repairPatterns(sub, repaired)];
      }));
    } else if (key === "pattern" && typeof value === "string" && !compilesAsUnicode(value)) {
      repaired.push(value);
      copy[key] = escapeLoneBrackets(value);
    } else {
      copy[key] = repairPatterns(value, repaired);
    }
  }
  return copy;
}

function expectedUrl(version, file) {
  return `https://developer.microsoft.com/json-schemas/teams/v${version}/${file}`;
}

async function validate(lib, document, schema, url) {
  const errors = await lib.AppManifestUtils.validateAgainstSchema(document, schema);
  if (document.$schema !== undefined && document.$schema !== url) {
    errors.push(`$schema is ${document.$schema}, expected ${url}`);
  }
  return errors;
}

async function main() {
  if (!dir) fail(2, "usage: validate_manifest.mjs DIR [NODE_MODULES]");
  const { lib, root } = loadPackage();
  const manifest = readJson(path.join(dir, "manifest.json"));
  const version = manifest.manifestVersion;
  const results = {};
  const manifestFile = "MicrosoftTeams.schema.json";
  results["manifest.json"] = await validate(
    lib, manifest, localSchema(root, version, manifestFile), expectedUrl(version, manifestFile));
  const localisationFile = "MicrosoftTeams.Localization.schema.json";
  const repaired = [];
  const localisationSchema = repairPatterns(localSchema(root, version, localisationFile), repaired);
  const info = manifest.localizationInfo ?? {};
  const files = [info.defaultLanguageFile, ...(info.additionalLanguages ?? []).map((l) => l.file)];
  for (const file of files.filter(Boolean)) {
    const target = path.join(dir, file);
    results[file] = existsSync(target)
      ? await validate(lib, readJson(target), localisationSchema, expectedUrl(version, localisationFile))
      : [`${file} is referenced by localizationInfo but missing from the package`];
  }
  process.stdout.write(`${JSON.stringify({ version, results, repairedPatterns: repaired }, null, 2)}\n`);
  process.exit(Object.values(results).every((errors) => errors.length === 0) ? 0 : 1);
}

main().catch((error) => fail(3, error.stack ?? String(error)));
