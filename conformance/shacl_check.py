"""shacl_check.py: dcat.jsonld against the DCAT-AP shapes with two SHACL engines, and read by rdflib.

    python conformance/shacl_check.py --vocab VOCABDIR DCAT.jsonld

For each profile of tools/shacl/profiles.json (the shape files under VOCABDIR, as validate.mjs reads
them):
  dcat <profile>     tools/shacl/validate.mjs (rdf-validate-shacl, jsonld.js): no violations, and at
                     least one dcat:Dataset and one dcat:Distribution validated;
  pyshacl <profile>  pyshacl on the graph rdflib parses from the file: no violations, at least one
                     dcat:Dataset and one dcat:Distribution in the data, and the same verdict as
                     validate.mjs; when the two disagree, both reports are printed. DCAT-AP 3.0.1's
                     ranges.ttl names 5 property shapes (sh:property) that no file defines; pyshacl
                     refuses such a shapes graph, rdf-validate-shacl treats them as shapes without a
                     constraint. They are dropped before pyshacl runs (counted in the ok line): a
                     shape that is not there constrains nothing.
and once:
  rdflib             rdflib parses the file as JSON-LD to a graph isomorphic to the one jsonld.js
                     gives (tools/shacl/nquads.mjs): what a harvester built on rdflib (CKAN's
                     ckanext-dcat) reads is what the SHACL check validated.
Exit status 0 all passed, 1 a check failed.
"""

import argparse
import json
import logging
import os
import subprocess
import sys

import pyshacl
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, SH

from common import Check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "shacl")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
MAX_LINES = 40
logging.getLogger("rdflib").setLevel(logging.ERROR)  # an ill-typed literal is the shapes' to report


def indent(text):
    lines = [ln for ln in text.splitlines() if ln.strip()]
    out = ["  " + ln for ln in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        out.append("  ... and %d more lines" % (len(lines) - MAX_LINES))
    return "\n".join(out)


def node(script, *args):
    r = subprocess.run(["node", os.path.join(TOOL, script), *args], capture_output=True, text=True, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def shapes(vocab, files):
    """The shapes graph of a profile, without sh:property references to shapes defined nowhere."""
    g = rdflib.Graph()
    for f in files:
        g.parse(os.path.join(vocab, f), format="turtle")
    dangling = [(s, o) for s, o in g.subject_objects(SH.property) if (o, None, None) not in g]
    for s, o in dangling:
        g.remove((s, SH.property, o))
    return g, len(dangling)


def pyshacl_run(data, vocab, files):
    """pyshacl's result: (violations, warnings, infos, report text, dropped references)."""
    sg, dropped = shapes(vocab, files)
    _, report, text = pyshacl.validate(data, shacl_graph=sg, inference="none", advanced=False,
                                       allow_warnings=True, do_owl_imports=False)
    counts = {SH.Violation: 0, SH.Warning: 0, SH.Info: 0}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        sev = report.value(r, SH.resultSeverity)
        counts[sev] = counts.get(sev, 0) + 1
    return counts[SH.Violation], counts[SH.Warning], counts[SH.Info], text, dropped


def graphs(ds):
    """The non-empty graphs of an rdflib Dataset by name (the default graph as None)."""
    return {(None if g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else g.identifier): g
            for g in ds.graphs() if len(g)}


def check_rdflib(data_file, ds):
    c = Check("rdflib")
    status, out, err = node("nquads.mjs", data_file)
    if status != 0:
        c.fail("%s: tools/shacl/nquads.mjs (jsonld.js) exited %d: %s" % (data_file, status, err.strip()))
        c.report("nothing compared")
        return
    js = rdflib.Dataset()
    js.parse(data=out, format="nquads")
    a, b = graphs(ds), graphs(js)
    if set(a) != set(b):
        c.fail("graphs %s in rdflib's reading, %s in jsonld.js's" % (sorted(map(str, a)), sorted(map(str, b))))
    triples = 0
    for name in set(a) & set(b):
        triples += len(a[name])
        if not isomorphic(a[name], b[name]):
            _, only_a, only_b = graph_diff(to_isomorphic(a[name]), to_isomorphic(b[name]))
            lines = ["graph %s: %d triple(s) only in rdflib's reading, %d only in jsonld.js's:" % (name or "(default)", len(only_a), len(only_b))]
            lines += ["  rdflib only:    " + " ".join(x.n3() for x in t) for t in sorted(only_a)[:10]]
            lines += ["  jsonld.js only: " + " ".join(x.n3() for x in t) for t in sorted(only_b)[:10]]
            c.fail("\n  ".join(lines))
    if triples == 0:
        c.fail("%s: no triples to compare" % data_file)
    c.report("%s parsed by rdflib %s as JSON-LD: %d triples, compared with the graph jsonld.js gives: isomorphic" % (
        os.path.basename(data_file), rdflib.__version__, triples))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", required=True)
    ap.add_argument("data")
    args = ap.parse_args()
    with open(os.path.join(TOOL, "profiles.json"), encoding="utf-8") as fh:
        profiles = json.load(fh)
    name = os.path.basename(args.data)
    ds, parse_error = rdflib.Dataset(), None
    try:
        ds.parse(args.data, format="json-ld")
    except Exception as e:  # rdflib raises many types; the message is what matters
        parse_error = "%s: %s" % (type(e).__name__, e)
    data = rdflib.Graph()
    for t in ds.triples((None, None, None)):
        data.add(t)
    typed = {cls: len(set(data.subjects(RDF.type, DCAT[cls]))) for cls in ("Dataset", "Distribution")}
    failed = False
    for profile, files in profiles.items():
        status, out, err = node("validate.mjs", "--vocab", args.vocab, "--profile", profile, args.data)
        node_pass = status == 0
        if node_pass:
            print("ok dcat %s: %s has no SHACL violations (%s)" % (profile, name, out.strip().splitlines()[-1]))
        else:
            print("FAIL dcat %s: %s: tools/shacl/validate.mjs exited %d" % (profile, name, status))
            print(indent(out + "\n" + err))
            failed = True
        node_report = "rdf-validate-shacl (tools/shacl/validate.mjs, exit %d):\n%s" % (status, indent(out + "\n" + err))
        c = Check("pyshacl " + profile)
        if parse_error:
            c.fail("rdflib cannot parse %s, so pyshacl cannot validate it: %s" % (name, parse_error))
            c.fail("while " + node_report)
            c.report("nothing validated")
            failed = True
            continue
        try:
            violations, warnings, infos, text, dropped = pyshacl_run(data, args.vocab, files)
        except Exception as e:
            c.fail("pyshacl could not run: %s: %s" % (type(e).__name__, e))
            c.report("nothing validated")
            failed = True
            continue
        empty = [cls for cls, n in typed.items() if n == 0]
        py_pass = violations == 0 and not empty
        if empty:
            c.fail("no node of %s is typed dcat:%s, so the shapes select nothing to validate" % (name, " or dcat:".join(empty)))
        if violations:
            c.fail("%d violation(s)" % violations)
        if status not in (0, 1):
            c.fail("no verdict to compare with: " + node_report)
        elif py_pass != node_pass:
            c.fail("pyshacl and rdf-validate-shacl disagree: pyshacl says %s, rdf-validate-shacl says %s" % (
                "conforms" if py_pass else "does not conform", "conforms" if node_pass else "does not conform"))
            c.fail("pyshacl %s:\n%s" % (pyshacl.__version__, indent(text)))
            c.fail(node_report)
        elif violations:
            c.fail("pyshacl's report:\n" + indent(text))
        summary = "%s: %d violation(s), %d warning(s), %d info(s) against %d shape file(s), %d dcat:Dataset, %d dcat:Distribution (pyshacl %s); %s" % (
            name, violations, warnings, infos, len(files), typed["Dataset"], typed["Distribution"], pyshacl.__version__,
            "no verdict from rdf-validate-shacl" if status not in (0, 1) else
            "same verdict as rdf-validate-shacl" if py_pass == node_pass else "rdf-validate-shacl's verdict differs")
        if dropped:
            summary += "; %d sh:property reference(s) to shapes defined nowhere dropped" % dropped
        failed = not c.report(summary) or failed
    if parse_error:
        print("FAIL rdflib: rdflib %s cannot parse %s as JSON-LD: %s" % (rdflib.__version__, name, parse_error))
        failed = True
    else:
        check_rdflib(args.data, ds)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
