package requestcmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
)

// statusFlags are the flags of the two status commands (request and change request).
type statusFlags struct {
	wait, asJSON bool
	timeout      time.Duration
}

func (f *statusFlags) bind(a *cli.App, cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.wait, "wait", false, a.T("clirequest.flag.wait"))
	cmd.Flags().DurationVar(&f.timeout, "timeout", 10*time.Minute, a.T("clirequest.flag.timeout"))
	cmd.Flags().BoolVar(&f.asJSON, "json", false, a.T("clirequest.flag.json"))
}

// waitNote is what a poll says while it waits: a failed read, or a request still new.
type waitNote func(err error, stillNew bool, next time.Duration)

// readOrWait reads a request once, or with --wait polls until the customer decides, saying on
// stderr (not with --json) what it is waiting for; a decision that does not come within
// --timeout is the error undecidedID names.
func readOrWait[T any](ctx context.Context, a *cli.App, f statusFlags, undecidedID string,
	read func(context.Context) (T, error), poll func(context.Context, waitNote) (T, error)) (T, error) {
	if !f.wait {
		return read(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	v, err := poll(ctx, func(err error, stillNew bool, next time.Duration) {
		switch {
		case f.asJSON:
		case err != nil:
			fmt.Fprintln(a.Stderr, a.T("clirequest.poll.failed", "Err", err, "Next", next))
		case stillNew:
			fmt.Fprintln(a.Stderr, a.T("clirequest.poll.new", "Next", next))
		}
	})
	if errors.Is(err, context.DeadlineExceeded) {
		err = errors.New(a.T(undecidedID, "Timeout", f.timeout))
	}
	return v, err
}
