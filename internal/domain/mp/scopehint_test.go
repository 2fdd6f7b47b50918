package mp

import (
	"slices"
	"strings"
	"testing"
)

func TestScopeHintsNameTheScopeAndWhoGrantsIt(t *testing.T) {
	mp200 := ProblemByKey(KeyScopeNotOnClient)
	mp250 := ProblemByKey(KeyScopeAccess)
	if got := RefusedScopes("Token request contains invalid scopes for client, altinn:authentication/systemregister.write, skatteetaten:x (trace_id: 0123)"); !slices.Equal(got, []string{"altinn:authentication/systemregister.write", "skatteetaten:x"}) {
		t.Fatalf("MP-200 scopes %q", got)
	}
	if got := RefusedScopes("Consumer has not been granted access to the scope skatteetaten:restricted-sample (trace_id: 1)"); !slices.Equal(got, []string{"skatteetaten:restricted-sample"}) {
		t.Fatalf("MP-250 scopes %q", got)
	}
	cases := []struct {
		p     Problem
		scope string
		want  []string
	}{
		{mp200, "altinn:authentication/systemregister.write", []string{"not on this client", "SBS vendor", "servicedesk@altinn.no"}},
		{mp200, "skatteetaten:innrapporteringboligselskap", []string{"not on this client", "Skatteetaten grants it"}},
		{mp250, "skatteetaten:restricted-sample", []string{"has not been granted skatteetaten:restricted-sample", "Kom i gang"}},
		{mp250, "acme:orders", []string{"API owner"}},
		{mp200, "idporten:dcr.write", []string{"admin client"}},
	}
	for _, c := range cases {
		h := ScopeHint(c.p, c.scope)
		for _, w := range c.want {
			if !strings.Contains(h, w) || !strings.Contains(h, c.scope) {
				t.Errorf("%s %s: %q lacks %q", c.p.Code, c.scope, h, w)
			}
		}
	}
	if h := ScopeHint(Problem{Key: KeyAudience}, "x"); h != "" {
		t.Errorf("hint for MP-110: %q", h)
	}
}
