// Package frictionless validates JSON documents against the official Frictionless JSON Schema
// profiles (Data Package, Data Resource, Table Schema; versions 1.0 and 2.0), for the tests and
// the conformance checks of this module.
//
// It owns:
//
//   - compiling a profile file with github.com/santhosh-tekuri/jsonschema/v6 (Compile), using a
//     regexp engine (CompileRegexp) that implements the look-ahead path patterns of the 1.0 and
//     2.0 profiles, which Go's regexp (RE2) cannot compile, and hands every other pattern to Go's
//     regexp;
//   - validating JSON bytes against a compiled profile (Validate) and flattening a validation
//     error into sorted, stable lines "/instance/location: message" (Leaves).
//
// It does not ship or locate the profiles (callers pass the path of a profile file, usually under
// ../shared/vocab/frictionless/), decide what a failure means for the caller, or check anything
// the profiles do not (the project's resource contract lives with its callers).
package frictionless
