package cli_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

func TestUsageErrorsExitTwo(t *testing.T) {
	clitest.Isolate(t)
	for _, args := range [][]string{
		{"token", "--bogus"},
		{"nosuchcommand"},
		{"--env", "ver2", "token"},
		{"token", "--systemuser-org", "57623423", "--scope", "a:b"},
		{"token", "--external-ref", "x"},
		{"inspect", "a", "b", "c"},
	} {
		r := clitest.Run(t, "", args...)
		if r.Code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.Code, r.Stderr)
		}
	}
	r := clitest.Run(t, "", "--env", "ver2", "token")
	if !strings.Contains(r.Stderr, "shut down") {
		t.Fatalf("ver2 warning missing: %s", r.Stderr)
	}
}
