#!/usr/bin/env node
'use strict';
// verity-audit-verify <bundle.jsonl> [--public-key <base64>]... [--checkpoint <checkpoint.json>]... [--threads <n>]
// Prints the report as JSON; exits 0 when the bundle verifies, 1 at a break, 2 on bad usage.
const { readFileSync } = require('node:fs');
const { verifyBundle } = require('../src/verify');

function usage(message) {
  process.stderr.write(
    `${message}\nusage: verity-audit-verify <bundle.jsonl> [--public-key <base64>]... [--checkpoint <file.json>]...\n`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const options = { publicKeys: [], checkpoints: [] };
let file;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--public-key') options.publicKeys.push(args[++i] ?? usage('--public-key needs a value'));
  else if (args[i] === '--threads') options.threads = Number(args[++i] ?? usage('--threads needs a number'));
  else if (args[i] === '--checkpoint')
    options.checkpoints.push(
      JSON.parse(readFileSync(args[++i] ?? usage('--checkpoint needs a file'), 'utf8')),
    );
  else if (file === undefined && !args[i].startsWith('--')) file = args[i];
  else usage(`unknown argument ${args[i]}`);
}
if (file === undefined) usage('no bundle given');

verifyBundle(file, options).then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exit(report.ok ? 0 : 1);
  },
  (error) => usage(`cannot verify: ${error.message}`),
);
