package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// Defect 10: the request's package list shows no error before it is used, and shift+tab leaves
// it; a request without a package is stopped at the next question, which says why.
func TestPackageListNeitherNagsNorTraps(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := false
	d := altinn.SystemDefinition{ID: "974761076_nopk", Vendor: altinn.VendorRef{ID: "0192:974761076"}, Name: map[string]string{"nb": "x"}, Description: map[string]string{"nb": "x"}, IsVisible: &f, ClientID: []string{"11111111-2222-3333-4444-555555555555"}}
	if _, err := steps.RegisterSystem(w.H.Env.Base, w.H.Env.Session, d, false); err != nil {
		t.Fatal(err)
	}
	a := w.app(nil)
	data, _ := json.Marshal(d)
	a.env.Flow.SystemID, a.env.Flow.SystemJSON = d.ID, string(data)
	to(a, 4)
	keys(a, "313367002", "enter")
	if v := a.View(); strings.Contains(v, "package") && strings.Contains(v, "✗") {
		t.Fatalf("an error before the list was used:\n%s", v)
	}
	keys(a, "shift+tab")
	if v := a.View(); !strings.Contains(v, "┃ Customer's organisation number") {
		t.Fatalf("shift+tab did not leave the list:\n%s", v)
	}
	keys(a, "enter", "enter", "enter")
	if v := a.View(); !strings.Contains(v, "no access package chosen") || !a.steps[4].Capturing() {
		t.Fatalf("no package:\n%s", v)
	}
}
