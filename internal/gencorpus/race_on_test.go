//go:build race

package gencorpus

// raceDetector is true in a build with the race detector, which slows the pipeline many times over.
const raceDetector = true
