package tokeninspect

import (
	"bytes"
	"encoding/json"
)

// Difference is one header parameter or claim of two tokens side by side.
type Difference struct {
	Part string `json:"part"` // "header" or "claims"
	Name string `json:"name"`
	// A and B are the raw JSON values; empty when the token lacks the field.
	A    string `json:"a,omitempty"`
	B    string `json:"b,omitempty"`
	Same bool   `json:"same"`
	// Note says why a difference matters, for the fields where it usually does.
	Note string `json:"note,omitempty"`
}

var compareNotes = map[string]string{
	"iss":                   "different issuers: the tokens come from different environments (or one is a grant)",
	"aud":                   "different audiences: a grant's aud must be its environment's issuer; a token's aud comes from resource",
	"scope":                 "different scopes: the API checks the scope it needs",
	"consumer":              "different consumers: the organisation the token acts for",
	"client_id":             "different clients: each environment has its own client ids",
	"authorization_details": "different system-user details: owner, system or externalRef differ",
	"kid":                   "different signing keys: keys are per environment",
	"alg":                   "different algorithms",
	"x5c":                   "different certificates",
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
			if !d.Same && !timeClaimNames[name] {
				d.Note = compareNotes[name]
				switch {
				case !okA:
					d.Note = "only in the second token"
				case !okB:
					d.Note = "only in the first token"
				}
			}
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
