package mp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestEveryKeyIsCatalogued reads errors.go: every Key constant names a catalogue entry, and
// every entry has a constant, so ProblemByKey cannot panic on a key the code names.
func TestEveryKeyIsCatalogued(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[Key]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				k, _ := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
				consts[Key(k)] = true
			}
		}
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
}
