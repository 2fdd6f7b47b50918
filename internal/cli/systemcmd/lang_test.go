package systemcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestSystemCommandsSpeakBokmal: with --lang nb, system's help and human output come from the
// bokmål catalogue.
func TestSystemCommandsSpeakBokmal(t *testing.T) {
	_, _, _, cmd := clitest.WithSeedPageSystem(t)
	nb := i18n.MustNew(i18n.NB)
	clitest.HelpInBokmal(t, cmd("system", "register"), "clirequest.system.flag.dry_run")
	r := clitest.Run(t, "", cmd("--lang", "nb", "system", "get", "974761076_skatt_demo_system")...)
	if r.Code != 0 || !strings.Contains(r.Stdout, nb.T("clirequest.system.label.vendor")) || !strings.Contains(r.Stdout, nb.T("clirequest.system.label.desc")) {
		t.Fatalf("system get in nb: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("--lang", "nb", "system", "get")...); r.Code != 2 || !strings.Contains(r.Stderr, nb.T("clirequest.system.get_arg")) {
		t.Fatalf("system get without an id in nb: %+v", r)
	}
	// What register did, and its local warnings, are in bokmål too.
	other := filepath.Join(t.TempDir(), "system.json")
	data, err := os.ReadFile(clitest.SeedPageSystem(t, "another-client"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(strings.Replace(string(data), "{", `{"foo": 1,`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	r = clitest.Run(t, "", cmd("--lang", "nb", "system", "register", "--file", other, "--dry-run")...)
	for _, want := range []string{"foo: er ikke et felt i en systemdefinisjon", "clientId: har ikke med klient-id-en", "ville blitt oppdatert"} {
		if !strings.Contains(r.Stdout+r.Stderr, want) {
			t.Errorf("register --dry-run in nb lacks %q: %+v", want, r)
		}
	}
}
