package mp

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestParseDetails(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`[]`, `{}`, `"x"`, `[1]`, `null`} {
		if _, ok := ParseDetails(json.RawMessage(bad)); ok {
			t.Errorf("%s parsed as authorization_details", bad)
		}
	}
	items, ok := ParseDetails(json.RawMessage(`[{"type":"urn:altinn:systemuser","systemuser_org":{},"zeta":1,"alpha":2},{"type":7}]`))
	if !ok || len(items) != 2 {
		t.Fatalf("two items expected, got %d (ok %v)", len(items), ok)
	}
	if items[0].Type() != RARTypeSystemUser || items[1].Type() != "" {
		t.Errorf("types %q, %q", items[0].Type(), items[1].Type())
	}
	if got := items[0].UnknownFields(); !slices.Equal(got, []string{"alpha", "zeta"}) {
		t.Errorf("unknown fields %q, want alpha, zeta (sorted)", got)
	}
	if got := items[1].UnknownFields(); len(got) != 0 {
		t.Errorf("a lone type has unknown fields %q", got)
	}
}
