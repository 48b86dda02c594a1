// Checks Adaptive Cards with Microsoft's renderer (npm `adaptivecards`), the way a host parses them.
//
// Input on stdin: one card (a JSON object), or a JSON array of {"name": ..., "card": {...}}.
// Output on stdout: a JSON array, one result per card, in the input's order:
//   {"name", "version", "parseWarnings": [{"event", "message"}], "validationErrors": [...]}
// A card is parsed with the version it declares as the target, so an element or action newer than
// that version is reported (as Teams would drop it). Parsing and validating need no DOM; only
// rendering would (we do not render). Exit code: 0 when every card is clean, 1 otherwise,
// 2 when the input is not JSON.
//
//   echo '{"type":"AdaptiveCard","version":"1.5","body":[]}' | node validate-cards.mjs

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The package's `lib/` is ESM without file extensions (Node cannot load it); the UMD bundle works.
const AC = require("adaptivecards/dist/adaptivecards.js");

const EVENT_NAMES = Object.fromEntries(
  Object.entries(AC.ValidationEvent).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]),
);

function describe(event) {
  return { event: EVENT_NAMES[event.event] ?? String(event.event), message: event.message };
}

export function checkCard(json) {
  const declared = typeof json?.version === "string" ? AC.Version.parse(json.version) : undefined;
  const context = new AC.SerializationContext(
    declared && declared.isValid ? declared : AC.Versions.latest,
  );
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const parseWarnings = [];
  for (let i = 0; i < context.eventCount; i++) {
    parseWarnings.push(describe(context.getEventAt(i)));
  }
  const validation = card.validateProperties();
  return {
    version: card.version ? card.version.toString() : null,
    parseWarnings,
    validationErrors: validation.validationEvents.map(describe),
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (error) {
    process.stderr.write(`input is not JSON: ${error.message}\n`);
    process.exit(2);
  }
  const items = Array.isArray(input) ? input : [{ name: "card", card: input }];
  const results = items.map((item) => {
    try {
      return { name: item.name, ...checkCard(item.card) };
    } catch (error) {
      return {
        name: item.name,
        version: null,
        parseWarnings: [{ event: "Exception", message: String(error?.stack ?? error) }],
        validationErrors: [],
      };
    }
  });
  process.stdout.write(JSON.stringify(results, null, 1) + "\n");
  const clean = results.every((r) => !r.parseWarnings.length && !r.validationErrors.length);
  process.exit(clean ? 0 : 1);
}

main();
