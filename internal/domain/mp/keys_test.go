package mp

import (
	"os"
	"regexp"
	"testing"
)

// TestEveryKeyIsCatalogued reads the Key constants out of errors.go: each names a catalogue
// entry, and each entry has one, so ProblemByKey cannot panic on a key the code names.
func TestEveryKeyIsCatalogued(t *testing.T) {
	src, err := os.ReadFile("errors.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[Key]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\tKey\w+ +Key = "([^"]+)"$`).FindAllSubmatch(src, -1) {
		consts[Key(m[1])] = true
	}
	entries := map[Key]bool{}
	for _, p := range Problems() {
		entries[p.Key] = true
		if !consts[p.Key] {
			t.Errorf("entry %q has no Key constant", p.Key)
		}
	}
	for k := range consts {
		if !entries[k] {
			t.Errorf("constant %q names no catalogue entry", k)
		}
	}
	if len(consts) == 0 {
		t.Fatal("no Key constants found in errors.go")
	}
}
