package doctorcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestDoctorAndKeygenSpeakBokmål: with --lang nb doctor's and keygen's help, headings and
// labels come from the bokmål catalogue.
func TestDoctorAndKeygenSpeakBokmål(t *testing.T) {
	clitest.Isolate(t)
	nb := i18n.MustNew(i18n.NB)
	cfg, _ := clitest.StartSandbox(t)

	clitest.HelpInBokmal(t, []string{"doctor"}, "clitools.doctor.flag_external_ref", "clitools.doctor.long")
	r := clitest.Run(t, "", "--config", cfg, "--lang", "nb", "doctor")
	for _, id := range []string{"clitools.doctor.configuration", "clitools.doctor.client_key", "clitools.doctor.all_passed", "clitools.doctor.pass"} {
		if !strings.Contains(r.Stdout, nb.T(id)) {
			t.Errorf("doctor --lang nb lacks %s %q:\n%s", id, nb.T(id), r.Stdout)
		}
	}
	k := clitest.Run(t, "", "--lang", "nb", "keygen", "--out", t.TempDir())
	if k.Code != 0 || !strings.Contains(k.Stdout, nb.T("clitools.keygen.generated")) || !strings.Contains(k.Stdout, nb.T("clitools.keygen.put_under")) ||
		!strings.Contains(k.Stdout, "  privat nøkkel  ") {
		t.Errorf("keygen --lang nb: %+v", k)
	}
}
