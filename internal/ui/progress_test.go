package ui

import (
	"strings"
	"testing"
	"time"

	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// A token request that meets a 429 shows the retry and the time bound while it waits.
func TestBusyViewShowsRetryProgress(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	if _, err := h.SB.InjectFault(sbworld.Fault{Kind: sbworld.FaultThrottle, PathPrefix: "/maskinporten/token", RetryAfter: 1}); err != nil {
		t.Fatal(err)
	}
	w := kit.NewWork()
	ctx, _, _ := w.Start(h.Env)
	done := make(chan error, 1)
	go func() {
		_, _, err := h.Env.Session.Token(ctx, uitest.TokenReq(sbworld.ScopeDialogporten))
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	seen := ""
	for time.Now().Before(deadline) && !strings.Contains(seen, "retrying") {
		seen = w.View(h.Env, "Requesting the token from Maskinporten…")
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(seen, "HTTP 429") || !strings.Contains(seen, "retrying in 1s") || !strings.Contains(seen, "of 1m0s · esc cancels") {
		t.Fatalf("busy view during a retry:\n%s", seen)
	}
	if err := <-done; err != nil {
		t.Fatalf("the retried request failed: %v", err)
	}
}
