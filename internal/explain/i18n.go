package explain

import (
	"fmt"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// The catalogue's meanings and fixes in bokmål and nynorsk live in locales/explain.{nb,nn}.toml
// under the same ids as the English, which TestEnglishCatalogueIsGenerated writes from the Go
// catalogues (locales/explain.en.toml): entry.<name>.meaning and entry.<name>.fix1, fix2, …,
// <name> the entry's code or key with "." written as "_" (AUTH.VLD-00018 → AUTH_VLD-00018).

// MessageKey is the entry's table in the message files ("entry.AUTH_VLD-00018").
func MessageKey(e Entry) string {
	return "entry." + strings.ReplaceAll(e.Name(), ".", "_")
}

// Localize returns e with its meaning and fixes in p's language. The server's own text (Text,
// TextEN) stays as the server says it; a message the catalogue lacks stays in English.
func Localize(e Entry, p *i18n.Printer) Entry {
	if p == nil || p.Lang() == i18n.EN {
		return e
	}
	id := "explain." + MessageKey(e)
	if p.Has(id + ".meaning") {
		e.Means = p.T(id + ".meaning")
	}
	fixes := make([]string, len(e.Fixes))
	for i, f := range e.Fixes {
		fixes[i] = f
		if fid := fmt.Sprintf("%s.fix%d", id, i+1); p.Has(fid) {
			fixes[i] = p.T(fid)
		}
	}
	e.Fixes = fixes
	return e
}

// SourceName is an entry's source as the reader's language names it (Source itself, as in
// --json, is English).
func SourceName(p *i18n.Printer, source string) string {
	id := "explain.source." + strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(source))
	if p.Has(id) {
		return p.T(id)
	}
	return source
}
