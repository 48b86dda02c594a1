// Validates a Teams app manifest with the validator `@microsoft/app-manifest` (npm) ships
// (ajv, draft-04, allErrors) against the JSON schema it bundles for the manifest's own version:
// offline, no schema download. A second opinion on `copbot package`, which validates in Python.
//
//   node validate-manifest.mjs build/manifest.json     (or the manifest on stdin)
// Output: a JSON object {"manifestVersion", "schema", "errors": [...]}; exit 0 when valid.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { ManifestUtil } = require("@microsoft/app-manifest");

const SCHEMAS = path.join(
  path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build",
  "json-schemas",
  "teams",
);

async function main() {
  const file = process.argv[2];
  const text = file ? readFileSync(file, "utf8") : readFileSync(0, "utf8");
  const manifest = JSON.parse(text);
  const version = String(manifest.manifestVersion ?? "");
  const schemaFile = path.join(SCHEMAS, `v${version}`, "MicrosoftTeams.schema.json");
  let schema;
  try {
    schema = JSON.parse(readFileSync(schemaFile, "utf8"));
  } catch {
    process.stdout.write(
      JSON.stringify({ manifestVersion: version, schema: null, errors: [`no bundled schema for ${version}`] }) + "\n",
    );
    process.exit(1);
  }
  const errors = await ManifestUtil.validateManifestAgainstSchema(manifest, schema);
  process.stdout.write(
    JSON.stringify({ manifestVersion: version, schema: path.relative(SCHEMAS, schemaFile), errors }) + "\n",
  );
  process.exit(errors.length ? 1 : 0);
}

main();
