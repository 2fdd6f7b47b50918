package page

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// TestStep4SaysABadSystemIDAndOrgNoInBokmål: step 4's form refuses a system id with a space
// and without the vendor's organisation number in bokmål, and a system whose vendor has a
// wrong organisation number is listed in bokmål, from the catalogue.
func TestStep4SaysABadSystemIDAndOrgNoInBokmål(t *testing.T) {
	w := uitest.NewWorld(t)
	env := w.EnvWith(w.Registered())
	nb := i18n.MustNew(i18n.NB)
	env.Text = nb
	s := NewSystem(env, 3)
	org := env.Session.Profile.OrgNo
	err := s.firstViolation(altinn.ValidateSystemID("bad id", org))
	want := nb.T("domain.violation.with_code", "Field", "id", "Message", nb.T("domain.violation.id_space", "Value", `"bad id"`),
		"Code", string(altinn.CodeVldSystemIDSpaces))
	if err == nil || err.Error() != want {
		t.Errorf("step 4's system id %q: %v, want %q", "bad id", err, want)
	}
	err = s.firstViolation(altinn.ValidateSystemID("999999999_x", org))
	if err == nil || !strings.Contains(err.Error(), nb.T("domain.violation.id_prefix", "Value", `"999999999_x"`, "Want", org)) {
		t.Errorf("step 4's system id without the vendor's number: %v", err)
	}

	vs := altinn.LocalSystemChecks(altinn.SystemDefinition{ID: "313367003_x", Vendor: altinn.VendorRef{ID: "0192:313367003"}})
	if len(vs) == 0 || vs[0].Field != "vendor.ID" {
		t.Fatalf("no vendor.ID violation for a wrong check digit: %+v", vs)
	}
	got := steps.LocalizeViolation(nb, vs[0]).Message
	if want := nb.T("domain.violation.orgno_check_digit", "Value", `"313367003"`); got != want {
		t.Errorf("wrong organisation number in step 4: %q, want %q", got, want)
	}
	if e := steps.OrgNoError(nb, nil); e != nil {
		t.Errorf("OrgNoError(nil) = %v", e)
	}
}
