package doctorcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// A passing doctor with a warning among its checks says so in its last line: "All checks
// passed." under a "! warn" row read as nothing to look at.
func TestDoctorCountsItsWarnings(t *testing.T) {
	v := clitest.NewVendor(t)
	if r := clitest.Run(t, "", "--config", v.Cfg, "doctor"); r.Code != 0 || !strings.Contains(r.Stdout, "All checks passed.") {
		t.Fatalf("doctor: %+v", r)
	}
	key := filepath.Join(filepath.Dir(v.Cfg), "vendor-key.pem")
	if err := os.Chmod(key, 0o644); err != nil { // readable by others: a warning, not a failure
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", v.Cfg, "doctor")
	if r.Code != 0 || !strings.Contains(r.Stdout, "All checks passed; 1 with a warning (!) above.") {
		t.Fatalf("doctor with a world-readable key: %+v", r)
	}
}
