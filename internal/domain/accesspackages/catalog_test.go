package accesspackages

import (
	"encoding/json"
	"testing"
)

func TestEmbeddedCatalogFlags(t *testing.T) {
	c := Embedded()
	if c.Len() != 147 {
		t.Fatalf("%d packages, want the 147 organisation packages", c.Len())
	}
	regn, ok := c.Lookup("regnskapsforer-med-signeringsrettighet")
	if !ok || !regn.ClientOnly() || regn.Label() != "Regnskapsfører med signeringsrettighet" {
		t.Fatalf("regn = %+v", regn)
	}
	sg, ok := c.Lookup("urn:altinn:accesspackage:skattegrunnlag")
	if !ok || !sg.IsAssignable || !sg.IsDelegable {
		t.Fatalf("skattegrunnlag = %+v", sg)
	}
	eks, _ := c.Lookup("eksplisitt")
	if eks.Usable() {
		t.Fatal("eksplisitt must be unusable")
	}
	if _, ok := c.Lookup("skattnaering"); ok {
		t.Fatal("the docs' misspelling must not resolve")
	}
	if s := c.Suggest("skattnaering", 3); len(s) == 0 || s[0] != "skatt-naering" {
		t.Fatalf("suggest = %v", s)
	}
}

func TestExportRoundTrip(t *testing.T) {
	c := Embedded()
	data, err := json.Marshal(c.Export())
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromExport(data, "test")
	if err != nil || back.Len() != c.Len() {
		t.Fatalf("round trip: %v, %d packages", err, back.Len())
	}
	for _, p := range c.All() {
		q, ok := back.Lookup(p.URN)
		if !ok || q.IsAssignable != p.IsAssignable || q.IsDelegable != p.IsDelegable || q.Area != p.Area {
			t.Fatalf("%s changed: %+v vs %+v", p.Code, p, q)
		}
	}
}
