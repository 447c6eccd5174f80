// Package eval scores the programme-text parser against hand-made answer keys (eval/answers/*.json):
// for each key text, the share of real units that come out as exactly one passage, the share of
// passages that start a real unit, the page furniture that leaked into passage text, headings that
// leaked, and line-end hyphens joined right. It runs the extract and normalize stages directly on
// each text with only the basic registry entry (no furniture hints), as an unseen text would be run.
//
// It is a measuring tool for developers (make eval); the build does not use it.
package eval
