#!/usr/bin/env node
// Writes the first of each group of resources (JSON lines) that differ only in identifier.value,
// so that validate.js checks each distinct response once: a stopped or sparse record's response
// is often the same as many others' but for its record id.
//
//   node distinct_responses.js IN.jsonl OUT.jsonl     prints "N resources, M distinct"
//
// CommonJS, and nothing newer than what Node.js 18 (Debian 12) runs.
'use strict';

const fs = require('fs');

function main(argv) {
  if (argv.length !== 4) {
    process.stderr.write('usage: node distinct_responses.js IN.jsonl OUT.jsonl\n');
    return 2;
  }
  const lines = fs.readFileSync(argv[2], 'utf8').split('\n').filter((l) => l.trim());
  const seen = new Set();
  const kept = [];
  for (const line of lines) {
    const resource = JSON.parse(line);
    // The identifier's other parts stay in the key: only its value (the record id) may differ.
    if (resource.identifier && typeof resource.identifier === 'object') resource.identifier = { ...resource.identifier, value: '' };
    const key = JSON.stringify(resource);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(line);
  }
  fs.writeFileSync(argv[3], kept.map((l) => l + '\n').join(''));
  process.stdout.write(`${lines.length} resources, ${kept.length} distinct\n`);
  return 0;
}

process.exitCode = main(process.argv);
