#!/usr/bin/env node
// nquads.mjs: print the RDF of a JSON-LD file as N-Quads, the way validate.mjs reads it.
//
//   node tools/shacl/nquads.mjs DATA.jsonld
//
// Same reading as validate.mjs: jsonld.js in safe mode, every remote context or document load refused,
// the file's URL as base. conformance/shacl_check.py compares this graph with the one rdflib parses
// from the same file (they must be isomorphic). Exit status: 0 printed, 2 usage or read error.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import jsonld from 'jsonld';

async function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node tools/shacl/nquads.mjs DATA.jsonld\n');
    return 2;
  }
  const file = argv[0];
  const doc = JSON.parse(await readFile(file, 'utf8'));
  const documentLoader = async (url) => {
    throw new Error(`refusing to load ${url}: the @context must be inline`);
  };
  const base = pathToFileURL(path.resolve(file)).href;
  const nquads = await jsonld.toRDF(doc, { documentLoader, safe: true, base, format: 'application/n-quads' });
  process.stdout.write(nquads);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`nquads.mjs: ${e.message}\n`);
    process.exitCode = 2;
  },
);
