#!/usr/bin/env node
// validate.mjs: validate a JSON-LD file (the release's dcat.jsonld) against SHACL shapes, offline.
//
//   node tools/shacl/validate.mjs [--profile dcat-ap-3|dcat-ap-nl-3]... [--vocab DIR] DATA.jsonld [SHAPES.ttl...]
//
// The JSON-LD must carry its @context inline: any remote context or document load is refused, so the
// result never depends on the network. Every result is printed as one block (severity, focus node,
// path, message, source shape), sorted, followed by one count line that also says how many
// dcat:Dataset and dcat:Distribution focus nodes were validated. Exit status: 0 when there are no
// violations (warnings and infos do not fail) and both classes had focus nodes, 1 when there are
// violations or a class had none, 2 on a usage or read error.
//
// The focus-node rule guards against a pass that proves nothing: if the @context is missing or a
// namespace is wrong (say "dcat": "http://www.w3.org/ns/dcat/"), no node has a class the shapes
// target and every profile reports 0 violations. So the data graph must hold at least one node typed
// http://www.w3.org/ns/dcat#Dataset and one typed http://www.w3.org/ns/dcat#Distribution, and the
// shapes must select at least one of each as a focus node; otherwise the run fails with exit 1 and a
// message on stderr saying what is missing.
//
// --profile picks the official shape files from the shared vocabulary folder (default: ../shared/vocab
// next to the repository, i.e. <repo>/../shared/vocab; override with --vocab):
//   dcat-ap-3     DCAT-AP 3.0.1: dcat-ap-SHACL.ttl + ranges.ttl
//   dcat-ap-nl-3  DCAT-AP-NL 3.0: the DCAT-AP 3.0.0 shapes bundled with it, the Dutch mandatory shapes,
//                 the class ranges and code lists, and the recommended (aanbevolen) shapes, whose
//                 results are warnings.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import jsonld from 'jsonld';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import env from 'rdf-validate-shacl/src/defaultEnv.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultVocab = path.resolve(here, '..', '..', '..', 'shared', 'vocab');

// The shape files of each profile, relative to the vocabulary folder (profiles.json, which
// conformance/shacl_check.py reads too, so that pyshacl validates against the very same files).
export const profiles = JSON.parse(readFileSync(new URL('./profiles.json', import.meta.url), 'utf8'));

const SH = 'http://www.w3.org/ns/shacl#';
const EUSH_MESSAGE = 'https://purl.eu/ns/shacl#message';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';

// required are the classes of which the data must hold, and the shapes must validate, at least one node.
const required = ['Dataset', 'Distribution'].map((local) => ({ iri: DCAT + local, name: 'dcat:' + local }));

const usage = `usage: node tools/shacl/validate.mjs [--profile NAME]... [--vocab DIR] DATA.jsonld [SHAPES.ttl...]
  --profile NAME  add the shape files of a profile: ${Object.keys(profiles).join(', ')}
  --vocab DIR     folder holding the official shape files (default ${defaultVocab})
exit status: 0 no violations, 1 violations or nothing checked (no dcat:Dataset or dcat:Distribution
focus node), 2 usage or read error`;

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { profiles: [], vocab: defaultVocab, data: '', shapes: [] };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--profile') {
      const p = value();
      if (!profiles[p]) throw new UsageError(`unknown profile "${p}"; use one of ${Object.keys(profiles).join(', ')}`);
      opts.profiles.push(p);
    } else if (a === '--vocab') {
      opts.vocab = path.resolve(value());
    } else if (a === '-h' || a === '--help') {
      throw new UsageError('');
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      rest.push(a);
    }
  }
  if (rest.length === 0) throw new UsageError('missing DATA.jsonld');
  opts.data = rest[0];
  opts.shapes = rest.slice(1);
  for (const p of opts.profiles) {
    for (const f of profiles[p]) opts.shapes.push(path.join(opts.vocab, f));
  }
  if (opts.shapes.length === 0) throw new UsageError('no shapes: give SHAPES.ttl files or --profile');
  return opts;
}

// readText reads a file, turning a failure into a message that names the file.
async function readText(file, what) {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read ${what}: ${err.code || err.message}`);
  }
}

// term and toQuad rebuild terms and quads with the validator's own factory, so every term compares alike.
function term(t) {
  switch (t.termType) {
    case 'NamedNode':
      return env.namedNode(t.value);
    case 'BlankNode':
      return env.blankNode(t.value);
    case 'Literal':
      return env.literal(t.value, t.language || (t.datatype ? env.namedNode(t.datatype.value) : undefined));
    case 'DefaultGraph':
      return env.defaultGraph();
    default:
      throw new Error(`unexpected term type ${t.termType}`);
  }
}

const toQuad = (q) => env.quad(term(q.subject), term(q.predicate), term(q.object), term(q.graph));

// hasKey tells whether an object anywhere in the JSON value x has the key k.
function hasKey(x, k) {
  if (Array.isArray(x)) return x.some((v) => hasKey(v, k));
  if (x && typeof x === 'object') return Object.hasOwn(x, k) || Object.values(x).some((v) => hasKey(v, k));
  return false;
}

// loadData reads the JSON-LD file into an RDF dataset, and tells whether it has an @context at all.
async function loadData(file) {
  const text = await readText(file, 'the data');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON: ${err.message}`);
  }
  const documentLoader = async (url) => {
    throw new Error(`refusing to load ${url}: the @context must be inline (validation runs offline)`);
  };
  let quads;
  try {
    quads = await jsonld.toRDF(doc, { documentLoader, safe: true, base: pathToFileURL(path.resolve(file)).href });
  } catch (err) {
    let detail = '';
    if (err.details && err.details.cause) detail = `: ${err.details.cause.message}`;
    if (err.details && err.details.event) {
      const ev = err.details.event;
      detail = `: ${ev.code}: ${ev.message} ${JSON.stringify(ev.details || {})}`;
    }
    throw new Error(`${file}: cannot read JSON-LD: ${err.message}${detail}`);
  }
  if (quads.length === 0) throw new Error(`${file}: the JSON-LD holds no triples`);
  const hasContext = hasKey(doc, '@context');
  return { dataset: env.dataset(quads.map(toQuad)), hasContext };
}

async function loadShapes(files) {
  const quads = [];
  for (const file of files) {
    const text = await readText(file, 'the shapes');
    const parser = new N3.Parser({ baseIRI: pathToFileURL(path.resolve(file)).href });
    try {
      for (const q of parser.parse(text)) quads.push(toQuad(q));
    } catch (err) {
      throw new Error(`${file}: cannot parse Turtle: ${err.message}`);
    }
  }
  return env.dataset(quads);
}

const prefixes = [
  ['http://www.w3.org/ns/shacl#', 'sh:'],
  ['http://www.w3.org/ns/dcat#', 'dcat:'],
  ['http://purl.org/dc/terms/', 'dct:'],
  ['http://xmlns.com/foaf/0.1/', 'foaf:'],
  ['http://www.w3.org/2006/vcard/ns#', 'vcard:'],
  ['http://spdx.org/rdf/terms#', 'spdx:'],
  ['http://www.w3.org/ns/adms#', 'adms:'],
];

function show(t) {
  if (!t) return '-';
  if (t.termType === 'BlankNode') return `_:${t.value}`;
  if (t.termType === 'Literal') return JSON.stringify(t.value);
  for (const [ns, p] of prefixes) {
    if (t.value.startsWith(ns)) return p + t.value.slice(ns.length);
  }
  return `<${t.value}>`;
}

function showPath(p) {
  if (!p) return '-';
  if (Array.isArray(p)) return p.map(showPath).join('/');
  if (p.termType) return show(p);
  return JSON.stringify(p);
}

// message joins the validator's message (from sh:message, or its default) with the EU shapes' own
// eush:message on the source shape, or names the constraint when there is neither.
function message(result, shapes) {
  const parts = (result.message || []).map((m) => m.value).filter(Boolean);
  if (result.sourceShape) {
    for (const q of shapes.match(result.sourceShape, env.namedNode(EUSH_MESSAGE), null)) {
      if (!parts.includes(q.object.value)) parts.push(q.object.value);
    }
  }
  return parts.length > 0 ? parts.join('; ') : show(result.sourceConstraintComponent);
}

const key = (t) => `${t.termType}:${t.value}`;

// typedNodes returns, per required class, the keys of the data graph's nodes with that rdf:type.
function typedNodes(data) {
  return required.map((c) => {
    const nodes = new Set();
    for (const q of data.match(null, env.namedNode(RDF_TYPE), env.namedNode(c.iri))) nodes.add(key(q.subject));
    return nodes;
  });
}

// focusNodes returns the keys of every node that some shape with a target selects in the data graph,
// as the validator itself computes them.
function focusNodes(validator) {
  const nodes = new Set();
  for (const shape of validator.shapesGraph.shapesWithTarget) {
    for (const t of shape.getTargetNodes(validator.$data)) nodes.add(key(t));
  }
  return nodes;
}

// nothingChecked explains, for a file whose data graph lacks a node of a required class or whose
// shapes select none of them, why the result proves nothing; it returns '' when each class has focus
// nodes.
function nothingChecked(file, data, hasContext, typed, focused, shapeFiles) {
  const problems = [];
  let untyped = false;
  required.forEach((c, i) => {
    if (typed[i].size === 0) {
      problems.push(`no node is typed ${c.iri} (${c.name})`);
      untyped = true;
    } else if (focused[i] === 0) {
      problems.push(`${typed[i].size} node(s) are typed ${c.name} but no shape in the ${shapeFiles} shape file(s) targets them`);
    }
  });
  if (problems.length === 0) return '';
  const what = focused.every((n) => n === 0) ? 'nothing was checked' : 'the check is incomplete';
  if (!untyped) {
    return `${file}: ${what}: ${problems.join('; ')}. Use --profile, or shapes with sh:targetClass ${required.map((c) => c.name).join(' and ')} (namespace ${DCAT}).`;
  }
  const types = new Set();
  for (const q of data.match(null, env.namedNode(RDF_TYPE), null)) types.add(q.object.value);
  // Name the near misses first (a class IRI ending in Dataset or Distribution), else a few types.
  const near = [...types].filter((t) => /(Dataset|Distribution)$/.test(t) && !required.some((c) => c.iri === t)).sort();
  let seen;
  if (near.length > 0) {
    seen = `the data has ${near.join(', ')} instead`;
  } else if (types.size === 0) {
    seen = 'the data has no rdf:type at all';
  } else {
    const all = [...types].sort();
    seen = `the data's rdf:type IRIs are ${all.slice(0, 6).join(', ')}${all.length > 6 ? `, … (${all.length} in all)` : ''}`;
  }
  const hint = hasContext
    ? `check that its @context maps "dcat" to exactly ${DCAT} (with the #, no trailing slash)`
    : `it has no @context: add one inline that maps "dcat" to ${DCAT}`;
  return `${file}: ${what}: ${problems.join('; ')}; ${seen}. A wrong namespace leaves the shapes nothing to validate: ${hint}.`;
}

async function main(argv, out, err) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) err.write(`validate.mjs: ${e.message}\n`);
      err.write(usage + '\n');
      return 2;
    }
    throw e;
  }
  let data, shapes;
  try {
    data = await loadData(opts.data);
    shapes = await loadShapes(opts.shapes);
  } catch (e) {
    err.write(`validate.mjs: ${e.message}\n`);
    return 2;
  }
  const validator = new SHACLValidator(shapes, {
    factory: env,
    importGraph: (url) => {
      throw new Error(`refusing to load owl:imports ${url.value} (validation runs offline)`);
    },
  });
  const report = await validator.validate(data.dataset);
  const typed = typedNodes(data.dataset);
  const focus = focusNodes(validator);
  const focused = typed.map((nodes) => [...nodes].filter((k) => focus.has(k)).length);
  const counts = { Violation: 0, Warning: 0, Info: 0 };
  const blocks = [];
  for (const r of report.results) {
    const sev = r.severity ? r.severity.value.replace(SH, '') : 'Violation';
    counts[sev] = (counts[sev] || 0) + 1;
    blocks.push(
      [
        `${sev}: ${message(r, shapes)}`,
        `  focus node:   ${show(r.focusNode)}`,
        `  path:         ${showPath(r.path)}`,
        `  value:        ${show(r.value)}`,
        `  constraint:   ${show(r.sourceConstraintComponent)}`,
        `  source shape: ${show(r.sourceShape)}`,
      ].join('\n'),
    );
  }
  const rank = (b) => (b.startsWith('Violation') ? 0 : b.startsWith('Warning') ? 1 : 2);
  blocks.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const b of blocks) out.write(b + '\n');
  const validated = required.map((c, i) => `${focused[i]} ${c.name}`).join(', ');
  out.write(
    `${opts.data}: ${counts.Violation} violation(s), ${counts.Warning} warning(s), ${counts.Info} info(s) against ${opts.shapes.length} shape file(s); focus nodes validated: ${validated}\n`,
  );
  const why = nothingChecked(opts.data, data.dataset, data.hasContext, typed, focused, opts.shapes.length);
  if (why) {
    err.write(`validate.mjs: ${why}\n`);
    return 1;
  }
  return counts.Violation > 0 ? 1 : 0;
}

main(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`validate.mjs: ${e.stack || e.message}\n`);
    process.exitCode = 2;
  },
);
