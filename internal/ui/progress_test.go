package ui

import (
	"strings"
	"testing"
	"time"

	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// A token request that meets a 429 shows the retry and the time bound while it waits.
func TestBusyViewShowsRetryProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultThrottle, PathPrefix: "/maskinporten/token", RetryAfter: 1}); err != nil {
		t.Fatal(err)
	}
	w := newWork()
	ctx, _, _ := w.start(h.env)
	done := make(chan error, 1)
	go func() {
		_, _, err := h.env.Session.Token(ctx, tokenReq(sbworld.ScopeDialogporten))
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	seen := ""
	for time.Now().Before(deadline) && !strings.Contains(seen, "retrying") {
		seen = w.view(h.env, "Requesting the token from Maskinporten…")
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(seen, "HTTP 429") || !strings.Contains(seen, "retrying in 1s") || !strings.Contains(seen, "of 1m0s · esc cancels") {
		t.Fatalf("busy view during a retry:\n%s", seen)
	}
	if err := <-done; err != nil {
		t.Fatalf("the retried request failed: %v", err)
	}
}
