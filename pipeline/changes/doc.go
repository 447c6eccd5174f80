// Package changes says what differs between two snapshots of the dataset (the previous release
// and the new build) and what that means for the version number.
//
// It owns:
//
//   - reading a snapshot back from a build or release folder (Load, SchemasOf): the Parquet
//     tables under parquet/ and the table schemas, from datapackage.json when there is one;
//   - the diff (Compare): documents added, removed or with changed source bytes; per table the
//     rows added, removed and modified, matched by primary key (a changed key is a removed and an
//     added row), with every modified cell's old and new value; and the schema changes (tables,
//     columns, types, keys, constraints tightened or loosened, descriptive metadata);
//   - the Semantic Versioning level of those changes (Level, with the reasons that decide it),
//     following the Frictionless data-package versioning recipe: major when something is removed
//     or renamed, a type or key changes or a constraint tightens; minor when a table, column,
//     document or rows are added, rows are removed or a constraint loosens; patch when only
//     values or descriptive metadata change; and the next version number (Next);
//   - reading a release's changes.json back without its key lists (ReadSummary, streamed), for
//     the pages and checks that need its counts and file list only;
//   - the renderings: changes.json (Changes.JSON and Changes.WriteJSON, which streams it:
//     complete and deterministic), one release
//     section in Keep a Changelog style (Changes.Markdown, with long texts shortened to the
//     changed stretch and long key lists cut) and CHANGELOG.md (ChangelogMarkdown).
//
// It does not decide which folders are compared, write files, read the clock, or validate the
// tables: the release code passes the snapshots in and fills Version, Previous, Date, Notes and
// Validation before rendering.
package changes
