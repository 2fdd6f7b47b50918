// Command sbs-tui walks software vendors through Altinn system-user onboarding with
// Maskinporten, as a terminal wizard and as headless commands. It runs against a built-in
// sandbox by default and against the real test and production hosts through configuration.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(stdin, stdout, stderr)
	a.args = args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		a.firstArg = args[0]
	}
	defer a.close()
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if rerr := a.writeRecord(); rerr != nil && err == nil {
		err = rerr
	}
	return a.exitCode(err)
}
