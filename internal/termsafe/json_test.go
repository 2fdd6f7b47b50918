package termsafe

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEscapeJSONKeepsValueAndHidesControls(t *testing.T) {
	in := map[string]any{"a": "x\u009b31mred\u202etxt\x7f\u200f", "b": []string{"ok", "\u0085"}}
	enc, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(enc)
	for _, raw := range []string{"\u009b", "\u202e", "\x7f", "\u200f", "\u0085"} {
		if bytes.Contains(out, []byte(raw)) {
			t.Errorf("%q passes through raw: %s", raw, out)
		}
	}
	var back map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("escaped output is not JSON: %v\n%s", err, out)
	}
	b1, _ := json.Marshal(in)
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("value changed: %s vs %s", b1, b2)
	}
	plain := []byte("{\n  \"a\": \"Ærlig ✓\"\n}\n")
	if got := EscapeJSON(plain); !bytes.Equal(got, plain) {
		t.Fatalf("clean output changed: %q", got)
	}
}
