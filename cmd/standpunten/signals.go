package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that stop a run: the context is canceled and the run exits 130
// (SIGINT) or 143 (SIGTERM) once its stages have returned and their deferred clean-ups ran.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// withSignals returns a context that is canceled at the first SIGINT or SIGTERM, with the
// signal as its cause (signal.NotifyContext would not say which one came). After that first
// signal the default handling is back, so a second one ends the process at once; a release
// killed that way is finished by the next run. stop releases the signals.
func withSignals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(signalCause{sig})
			signal.Reset(stopSignals...)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// signalCause is the cause of a context that a signal canceled.
type signalCause struct{ sig os.Signal }

func (c signalCause) Error() string { return "received " + signalName(c.sig) }

// signalOf is the signal that canceled ctx, or nil.
func signalOf(ctx context.Context) os.Signal {
	var c signalCause
	if errors.As(context.Cause(ctx), &c) {
		return c.sig
	}
	return nil
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// signalExitCode is the shell's code for a process ended by sig: 128 + its number.
func signalExitCode(sig os.Signal) int {
	switch sig {
	case os.Interrupt:
		return exitInterrupted
	case syscall.SIGTERM:
		return exitTerminated
	}
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitInterrupted
}

// canceledError is the error of a run a signal stopped: it says what the stopped command left.
type canceledError struct {
	sig     os.Signal
	command string
	err     error // what the command returned
}

func (e canceledError) Error() string {
	left := ""
	switch e.command {
	case "release":
		left = ": nothing was published and its staging folder was removed"
	case "build":
		left = ": the output folder was left as it was and the staging folder removed"
	case "verify":
		left = ": the comparison did not finish; its rebuild was removed"
	case "validate":
		left = ": the checks did not finish"
	}
	msg := fmt.Sprintf("stopped by %s%s", signalName(e.sig), left)
	if e.err != nil && !errors.Is(e.err, context.Canceled) {
		msg += " (" + e.err.Error() + ")"
	}
	return msg
}

func (e canceledError) Unwrap() error { return e.err }

// Is makes a stopped run a canceled one, whatever error its stages returned on the way out.
func (e canceledError) Is(target error) bool { return target == context.Canceled }
