package cli_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestCommandTimeoutAndRetryProgress(t *testing.T) {
	v := clitest.NewVendor(t)
	// A throttled token request is retried after Retry-After, and the retry is shown.
	if _, err := v.SB.InjectFault(world.Fault{Kind: world.FaultThrottle, PathPrefix: "/maskinporten/token", RetryAfter: 1}); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", v.Cfg, "token", "--scope", world.ScopeDialogporten)
	if r.Code != 0 || !strings.Contains(r.Stderr, "HTTP 429") || !strings.Contains(r.Stderr, "retrying in 1s") {
		t.Fatalf("throttled token: %+v", r)
	}
	// Latency beyond --timeout: the command stops at the bound and says why.
	if _, err := v.SB.InjectFault(world.Fault{Kind: world.FaultLatency, PathPrefix: "/maskinporten/token", Delay: 3 * time.Second, Times: 10}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r = clitest.Run(t, "", "--config", v.Cfg, "--timeout", "1s", "token", "--scope", world.ScopeSystemRegisterWrite)
	if took := time.Since(start); r.Code != 1 || took > 2500*time.Millisecond || !strings.Contains(r.Stderr, "gave up after 1s (--timeout)") {
		t.Fatalf("--timeout 1s took %s: %+v", took, r)
	}
	if r := clitest.Run(t, "", "--timeout", "0s", "token"); r.Code != 2 {
		t.Fatalf("--timeout 0s: %+v", r)
	}
}
