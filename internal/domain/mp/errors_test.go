package mp

import (
	"strings"
	"testing"
)

func TestClassifyFindsTheCode(t *testing.T) {
	for in, want := range map[string]string{
		"https://test.maskinporten.no/errors/MP-303": "MP-303",
		"see MP-12 or MP-1234":                       "MP-123",
		"MP-":                                        "",
		"mp-303":                                     "",
	} {
		if got := findCode(in); got != want {
			t.Errorf("findCode(%q) = %q, want %q", in, got, want)
		}
	}
	p, ok := Classify(ErrorBody{Error: "invalid_grant", ErrorDescription: "x (trace_id: abc)", ErrorURI: "https://h/errors/MP-130"})
	if !ok || p.Code != "MP-130" {
		t.Fatalf("Classify = %+v %v", p, ok)
	}
}

func TestTraceID(t *testing.T) {
	for in, want := range map[string]string{
		"Invalid assertion (trace_id: 0a1B-2c)":  "0a1B-2c",
		"x (correlation id:abc123) y":            "abc123",
		"x (trace_id: a b)":                      "",
		"no trace":                               "",
		"(trace_id: )":                           "",
		"(trace_id: ok)(trace_id: also-ignored)": "ok",
	} {
		if got := TraceID(in); got != want {
			t.Errorf("TraceID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidKid(t *testing.T) {
	for _, ok := range []string{"a", "sbs-tui_2026.11", strings.Repeat("k", 128)} {
		if !ValidKid(ok) {
			t.Errorf("ValidKid(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "a b", "ø", "a/b", strings.Repeat("k", 129)} {
		if ValidKid(bad) {
			t.Errorf("ValidKid(%q) = true", bad)
		}
	}
}
