package accessmanagement

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A hostile answer is cleaned for display: control sequences stripped from names, long texts
// cut, more parties than MaxParties dropped, a broken body an error rather than a panic.
func TestParseHostileBodies(t *testing.T) {
	body := `{"links":{"next":null},"data":[{"partyUuid":"u1","name":"Evil\u001b[2J AS` + strings.Repeat("x", 500) + `","organizationNumber":"313367002\u001b]0;t\u0007","type":"Organization","authorizedAccessPackages":["a\u001b[31m"],"subunits":[{"partyUuid":"u2","name":"Sub","subunits":[{"name":"deep","subunits":[{"name":"deeper"}]}]}]}]}`
	l, err := Parse(200, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	p := Parties(l)
	if len(p) != 1 || strings.ContainsAny(p[0].Name+p[0].OrgNo+p[0].Packages[0], "\x1b\x07") || len(p[0].Name) > 130 {
		t.Fatalf("not cleaned: %q", p)
	}
	if len(p[0].Subunits) != 1 || len(p[0].Subunits[0].Subunits) != 1 || len(p[0].Subunits[0].Subunits[0].Subunits) != 0 {
		t.Fatalf("subunit depth: %+v", p[0].Subunits)
	}
	var many strings.Builder
	many.WriteString(`{"data":[`)
	for i := range MaxParties + 10 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"name":"p%d"}`, i)
	}
	many.WriteString("]}")
	if l, err := Parse(200, []byte(many.String())); err != nil || len(l.Data) != MaxParties {
		t.Fatalf("cap: %v", err)
	}
	for _, bad := range []string{"", "<html>", `{"data":{}}`, "null"} {
		if l, err := Parse(200, []byte(bad)); err == nil && l == nil {
			t.Errorf("%q: no list and no error", bad)
		}
	}
	var e *Error
	if _, err := Parse(401, []byte("\"Unknown user type\u001b[2J\"")); !errors.As(err, &e) || strings.Contains(e.Text, "\x1b") || !strings.Contains(err.Error(), "names no system user") {
		t.Fatalf("401: %v", err)
	}
	if _, err := Parse(500, []byte(strings.Repeat("y", 10000))); !errors.As(err, &e) || len(e.Text) > 130 {
		t.Fatalf("500: %v", err)
	}
}
