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

// A Maskinporten refusal in doctor names its fixes once, in the user's language: the detail
// said the first fix as "Next:" and the → line said them all again, in English.
func TestDoctorSaysARefusalsFixesOnce(t *testing.T) {
	v := clitest.NewVendor(t)
	r := clitest.Run(t, "", "--config", v.Cfg, "--lang", "nb", "doctor", "--systemuser-org", "314000005")
	if r.Code != 1 || !strings.Contains(r.Stdout, "MP-303") || strings.Contains(r.Stdout, "Neste:") ||
		!strings.Contains(r.Stdout, "Kunden har ikke godkjent") || strings.Contains(r.Stdout, "The customer has not approved") {
		t.Fatalf("%+v", r)
	}
}
