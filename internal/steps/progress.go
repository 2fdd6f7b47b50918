package steps

import (
	"context"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
)

// WithProgress returns a context whose calls report slow progress (a token request being
// retried after a 5xx, a 429 or a dropped connection) to fn as one short line. fn runs on the
// calling goroutine, so a UI must hand the line over safely.
func WithProgress(ctx context.Context, fn func(line string)) context.Context {
	return maskinporten.WithRetryObserver(ctx, func(e maskinporten.RetryEvent) {
		fn("Maskinporten: " + e.String())
	})
}
