package explain

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite locales/explain.en.toml from the Go catalogues")

const enFile = "../i18n/locales/explain.en.toml"

// marker separates the hand-written labels of explain.en.toml from the generated entries.
const marker = "# --- generated below: do not edit by hand ---\n"

func tomlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s) + `"`
}

// generated is the entries' part of explain.en.toml, from the Go catalogues.
func generated() string {
	var sb strings.Builder
	for _, e := range All() {
		fmt.Fprintf(&sb, "\n[entry.%s]\n", tomlString(strings.TrimPrefix(MessageKey(e), "entry.")))
		fmt.Fprintf(&sb, "meaning = %s\n", tomlString(e.Means))
		for i, f := range e.Fixes {
			fmt.Fprintf(&sb, "fix%d = %s\n", i+1, tomlString(f))
		}
	}
	return sb.String()
}

// TestEnglishCatalogueIsGenerated: the English message file holds exactly the Go catalogues'
// meanings and fixes (-update writes it), so the file and the catalogue never disagree.
func TestEnglishCatalogueIsGenerated(t *testing.T) {
	data, err := os.ReadFile(enFile)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(data), marker)
	if !ok {
		t.Fatalf("%s lacks the line %q", enFile, marker)
	}
	want := head + marker + generated()
	if *update {
		if err := os.WriteFile(enFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(data) != want {
		t.Fatalf("%s is out of date with the Go catalogues: go test ./internal/explain -run TestEnglishCatalogueIsGenerated -update", enFile)
	}
}

// TestEveryEntryIsTranslated: each entry has a meaning and as many fixes in bokmål and
// nynorsk as in English, and no more.
func TestEveryEntryIsTranslated(t *testing.T) {
	en := i18n.MustNew(i18n.EN)
	for _, l := range []i18n.Lang{i18n.NB, i18n.NN} {
		p := i18n.MustNew(l)
		for _, e := range All() {
			id := "explain." + MessageKey(e)
			if !p.Has(id+".meaning") || p.T(id+".meaning") == "" {
				t.Errorf("%s: %s has no meaning", l, e.Name())
				continue
			}
			for i := range e.Fixes {
				if fid := fmt.Sprintf("%s.fix%d", id, i+1); !p.Has(fid) || p.T(fid) == "" {
					t.Errorf("%s: %s lacks fix %d", l, e.Name(), i+1)
				}
			}
			if extra := fmt.Sprintf("%s.fix%d", id, len(e.Fixes)+1); p.Has(extra) {
				t.Errorf("%s: %s has more fixes than the %d in English", l, e.Name(), len(e.Fixes))
			}
			le := Localize(e, p)
			if le.Text != e.Text || le.TextEN != e.TextEN {
				t.Errorf("%s: the server's text of %s changed", l, e.Name())
			}
			if en.T(id+".meaning") != e.Means {
				t.Errorf("en: %s's meaning differs from the Go catalogue", e.Name())
			}
		}
	}
}

// The English Format is byte-identical to the Go catalogue's texts under the old labels.
func TestFormatEnglish(t *testing.T) {
	e, err := Lookup("MP-303")
	if err != nil {
		t.Fatal(err)
	}
	got := Format(e)
	if !strings.HasPrefix(got, "MP-303  (Maskinporten, HTTP ") || !strings.Contains(got, "\n  Server says: "+e.Text+"\n") ||
		!strings.Contains(got, "\n  Meaning:     "+e.Means+"\n") {
		t.Errorf("Format(MP-303) = %q", got)
	}
	if _, err := Lookup("XX-1"); err == nil || !strings.HasPrefix(err.Error(), `"XX-1" is not in the catalogue: codes look like`) {
		t.Errorf("Lookup(XX-1) = %v", err)
	}
}
