package altinn

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestRefusalsSpeakTheLanguage: an Altinn refusal keeps its English Error() (logs, --json)
// and says the operation, the meaning and the fix in bokmål through i18n.Printer.Error and
// ExplainIn, with the server's own text and code as the server said them.
func TestRefusalsSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	body := []byte(`{"type":"x","title":"System not found","status":404,"code":"AUTH-00011","traceId":"abc"}`)
	e := ParseError(op("read_system", "974761076_demo").String(), "", 404, "application/problem+json", body)
	e.Operation = op("read_system", "974761076_demo")
	if !strings.HasPrefix(e.Error(), "Altinn refused to read system 974761076_demo with AUTH-00011 (HTTP 404)") {
		t.Errorf("English changed: %q", e.Error())
	}
	nb := i18n.MustNew(i18n.NB)
	entry, err := explain.Lookup("AUTH-00011")
	if err != nil {
		t.Fatal(err)
	}
	entry = explain.Localize(entry, nb)
	got := nb.Error(e)
	for _, want := range []string{nb.T("clients.altinn.refused", "Op", nb.T("clients.op.read_system", "Arg", "974761076_demo")), "AUTH-00011", "System not found", entry.Means, entry.Fixes[0]} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
	if x := e.ExplainIn(nb); !strings.Contains(x, nb.T("clients.altinn.trace", "ID", "abc")) || strings.Contains(x, "Next:") {
		t.Errorf("ExplainIn: %q", x)
	}
	// A status without a code: the advice in bokmål.
	e404 := ParseError("x", "", 404, "text/plain", nil)
	e404.Operation = op("list_systems", "")
	if got := nb.Error(e404); !strings.Contains(got, nb.T("clients.altinn.s404_fix")) {
		t.Errorf("404 advice: %q", got)
	}
}
