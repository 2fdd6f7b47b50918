package altinn

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestEveryCodeConstantIsCatalogued reads codes.go: every Code constant but the controller's
// own AUTH.VLD codes and the STD code has a catalogue entry, so MustProblem finds its status
// and title.
func TestEveryCodeConstantIsCatalogued(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	own := map[Code]bool{CodeVldAgentInvalid: true, CodeVldNotAgent: true, CodeVldClientInvalid: true, CodeStdValidation: true}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			lit := v.Values[0].(*ast.BasicLit)
			code, _ := strconv.Unquote(lit.Value)
			n++
			if _, ok := ProblemFor(code); !ok && !own[Code(code)] {
				t.Errorf("%s = %q is not in the catalogue", v.Names[0].Name, code)
			}
		}
	}
	if n < len(problems) {
		t.Errorf("%d constants for %d catalogue entries", n, len(problems))
	}
}
