// Package registry reads the curated files in raw/ that describe the corpus: sources.toml (one entry
// per text), parties.toml and elections.toml, and dataset.toml (the dataset-level metadata that the
// release descriptions are made of: titles, publisher, licence, themes, base URL). It checks them
// strictly (unknown keys, unknown formats, duplicate ids, paths that leave raw/) and reports problems
// as model.SourceError with line and column. It also owns the party-name matcher, since the aliases
// are registry data. It does not read the texts themselves; that is the extract stage.
package registry
