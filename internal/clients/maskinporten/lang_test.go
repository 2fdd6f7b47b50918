package maskinporten

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestRefusalSpeaksTheLanguage: Maskinporten's refusal keeps its English Error() and says
// itself in bokmål through i18n.Printer.Error, with the server's code and text unchanged.
func TestRefusalSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
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

// TestScopeHintCopiesAgree: for every kind of scope and both refusals, the catalogue's English
// hint is mp.ScopeHint's, and the bokmål one names the scope; so the copies cannot drift.
func TestScopeHintCopiesAgree(t *testing.T) {
	t.Parallel()
	nb := i18n.MustNew(i18n.NB)
	for _, r := range []struct{ status, oauth, desc string }{
		{"400", "invalid_scope", "MP-200: Token request contains invalid scopes for client, %s (trace_id: 0123456789abcdef0123456789abcdef)"},
		{"403", "forbidden", "MP-250: Consumer has not been granted access to the scope %s"},
	} {
		desc := r.desc
		status := 400
		if r.status == "403" {
			status = 403
		}
		for _, sc := range []string{"altinn:authentication/systemregister.write", "skatteetaten:x", "idporten:dcr.write", "digdir:dialogporten", "acme:api"} {
			e := NewError(status, []byte(`{"error":"`+r.oauth+`","error_description":"`+strings.Replace(desc, "%s", sc, 1)+`"}`))
			want := mp.ScopeHints(e.Problem, e.Body.ErrorDescription)
			got := e.scopeHintsIn(i18n.English())
			if len(want) != 1 || len(got) != 1 || got[0] != want[0] {
				t.Errorf("%s, %q: catalogue %q, domain %q", sc, desc, got, want)
			}
			if h := e.scopeHintsIn(nb); len(h) != 1 || !strings.Contains(h[0], sc) || h[0] == want[0] {
				t.Errorf("%s: bokmål %q", sc, h)
			}
		}
	}
}
