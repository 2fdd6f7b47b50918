package maskinporten

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestRefusalSpeaksTheLanguage: Maskinporten's refusal keeps its English Error() and says
// itself in bokmål through i18n.Printer.Error, with the server's code and text unchanged.
func TestRefusalSpeaksTheLanguage(t *testing.T) {
	e := NewError(400, []byte(`{"error":"invalid_client","error_description":"Invalid assertion. Client authentication failed. Invalid signature (trace_id: 0123456789abcdef0123456789abcdef)"}`))
	if !strings.HasPrefix(e.Error(), "Maskinporten refused the token request with ") {
		t.Fatalf("English changed: %q", e.Error())
	}
	nb := i18n.MustNew(i18n.NB)
	got := nb.Error(e)
	if !strings.HasPrefix(got, nb.T("clients.mp.refused")) || !strings.Contains(got, "invalid_client") || !strings.Contains(got, "Invalid signature") || strings.Contains(got, "Next:") {
		t.Errorf("bokmål: %q", got)
	}
	if x := e.ExplainIn(nb); !strings.Contains(x, nb.T("clients.altinn.trace", "ID", "0123456789abcdef0123456789abcdef")) {
		t.Errorf("ExplainIn: %q", x)
	}
}
