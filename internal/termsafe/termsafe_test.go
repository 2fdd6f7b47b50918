package termsafe

import (
	"strings"
	"testing"
)

func TestCleanRemovesEscapes(t *testing.T) {
	in := "ok\x1b[2J\x1b]0;pwned\x07 \u009b31m\r\u202eevil\xff\tend\n"
	got := Clean(in)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\r", "\u202e", "\xff"} {
		if strings.Contains(got, bad) {
			t.Fatalf("Clean left %q in %q", bad, got)
		}
	}
	if !strings.HasPrefix(got, "ok") || !strings.Contains(got, "\tend\n") {
		t.Fatalf("Clean mangled the safe text: %q", got)
	}
	if Clean("plain æøå") != "plain æøå" {
		t.Fatal("Clean changed clean text")
	}
}

func FuzzClean(f *testing.F) {
	f.Add("a\x1b[31mb")
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) {
				t.Fatalf("control %U left in %q", r, out)
			}
		}
	})
}
