package tokeninspect

import (
	"bytes"
	"encoding/json"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Difference is one header parameter or claim of two tokens side by side.
type Difference struct {
	Part string `json:"part"` // "header" or "claims"
	Name string `json:"name"`
	// A and B are the raw JSON values; empty when the token lacks the field.
	A    string `json:"a,omitempty"`
	B    string `json:"b,omitempty"`
	Same bool   `json:"same"`
	// Note says why a difference matters, for the fields where it usually does (in English;
	// NoteIn gives it in another language).
	Note string `json:"note,omitempty"`
}

// NoteIn says, in p's language, why the difference matters: a field only one token has, or
// one of the fields whose difference usually explains why one token works and the other not.
// Same fields, times and jti (which always differ) and other fields have no note.
func (d Difference) NoteIn(p *i18n.Printer) string {
	switch {
	case d.Same || timeClaimNames[d.Name]:
		return ""
	case d.A == "":
		return p.T("token.compare.only_b")
	case d.B == "":
		return p.T("token.compare.only_a")
	}
	if id := "token.compare.claim." + d.Name; p.Has(id) { //i18n:ignore a message id's prefix
		return p.T(id)
	}
	return ""
}

// timeClaims differ between any two tokens; they are compared but not flagged.
var timeClaimNames = map[string]bool{"iat": true, "exp": true, "nbf": true, "jti": true}

// Compare lists every header parameter and claim of a and b, a's order first, then what only
// b has. Times and jti always differ and carry no note.
func Compare(a, b *Decoded) []Difference {
	var out []Difference
	for _, part := range []struct {
		name   string
		fa, fb []Field
	}{{"header", a.Header, b.Header}, {"claims", a.Claims, b.Claims}} {
		seen := map[string]bool{}
		add := func(name string) {
			if seen[name] {
				return
			}
			seen[name] = true
			d := Difference{Part: part.name, Name: name}
			fa, okA := find(part.fa, name)
			fb, okB := find(part.fb, name)
			if okA {
				d.A = compact(fa.Raw)
			}
			if okB {
				d.B = compact(fb.Raw)
			}
			d.Same = okA && okB && d.A == d.B
			d.Note = d.NoteIn(i18n.English())
			out = append(out, d)
		}
		for _, f := range part.fa {
			add(f.Name)
		}
		for _, f := range part.fb {
			add(f.Name)
		}
	}
	return out
}

func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}
