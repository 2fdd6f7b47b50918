package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// catalogued are the packages whose user-facing text must come from the catalogue: a string
// literal there that reads as text fails TestUITextGoesThroughTheCatalogue. A literal that
// only looks like text (a format, a key name, an identifier) carries the comment
// "//i18n:ignore <why>" on its line.
var catalogued = []string{"../config", "../cli", "../cli/root", "../cli/requestcmd", "../cli/systemcmd", "../cli/apicmd", "../cli/sandboxcmd", "../cli/doctorcmd", "../cli/supportcmd", "../cli/wizardcmd", "../cli/inspectcmd", "../ui", "../ui/page", "../ui/kit", "../ui/board"}

// looksLikeText: two words, a capitalised word, or a word ending a sentence or a label. Format
// verbs and template actions are removed first, so "%s: %d" is not text.
var (
	formatVerb   = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]|\{\{[^}]*\}\}|\\[nt]`)
	twoWords     = regexp.MustCompile(`\p{L}{2,}[ \t]+\(?\p{L}{2,}`)
	capitalised  = regexp.MustCompile(`(^|[^\p{L}])\p{Lu}\p{Ll}{2,}`)
	sentenceWord = regexp.MustCompile(`\p{L}{2,}[.:!?…]($|\s)`)
)

func looksLikeText(s string) bool {
	s = formatVerb.ReplaceAllString(s, " ")
	return twoWords.MatchString(s) || capitalised.MatchString(s) || sentenceWord.MatchString(s)
}

// catalogueCall is a call that takes a message id as its first argument: p.T, p.N, p.Has and
// the wrappers of the same names (env.T, a.T).
func catalogueCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "T" || sel.Sel.Name == "N" || sel.Sel.Name == "Has" || sel.Sel.Name == "Errorf" && isPkg(sel.X, "i18n") || sel.Sel.Name == "Wrap" && isPkg(sel.X, "i18n"))
}

func isPkg(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

// idArg is the index of a catalogue call's message id: i18n.Wrap(err, id, …) has it second.
func idArg(call *ast.CallExpr) int {
	if call.Fun.(*ast.SelectorExpr).Sel.Name == "Wrap" {
		return 1
	}
	return 0
}

// keyNames are calls whose string arguments are key names or identifiers, never text.
func keyNames(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "WithKeys" || sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv")
}

type literal struct {
	pos  token.Position
	text string
	id   bool // the first argument of a catalogue call: a message id
}

// literals lists the string literals of a package's non-test files, minus imports, struct
// tags, key names and lines marked //i18n:ignore.
func literals(t *testing.T, dir string) []literal {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var out []literal
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		ignored := map[int]bool{}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//i18n:ignore") {
					ignored[fset.Position(c.Pos()).Line] = true
				}
			}
		}
		skip := map[*ast.BasicLit]bool{}
		ids := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				skip[n.Path] = true
			case *ast.Field:
				if n.Tag != nil {
					skip[n.Tag] = true
				}
			case *ast.CallExpr:
				if catalogueCall(n) && len(n.Args) > idArg(n) {
					if lit, ok := n.Args[idArg(n)].(*ast.BasicLit); ok {
						ids[lit] = true
					}
					// The names of template data (T(id, "Org", org), N(id, n, "Org", org))
					// are identifiers, not text.
					first := idArg(n) + 1
					if n.Fun.(*ast.SelectorExpr).Sel.Name == "N" {
						first = 2
					}
					for i := first; i < len(n.Args); i += 2 {
						if lit, ok := n.Args[i].(*ast.BasicLit); ok {
							skip[lit] = true
						}
					}
				}
				if keyNames(n) {
					for _, a := range n.Args {
						if lit, ok := a.(*ast.BasicLit); ok {
							skip[lit] = true
						}
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING || skip[n] {
					return true
				}
				pos := fset.Position(n.Pos())
				if ignored[pos.Line] {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					t.Fatalf("%s: %v", pos, err)
				}
				out = append(out, literal{pos: pos, text: s, id: ids[n]})
			}
			return true
		})
	}
	return out
}

// TestUITextGoesThroughTheCatalogue: no text the user reads is a Go literal in the catalogued
// packages; it is a message id looked up in the catalogue.
func TestUITextGoesThroughTheCatalogue(t *testing.T) {
	for _, dir := range catalogued {
		for _, l := range literals(t, dir) {
			if !l.id && looksLikeText(l.text) {
				t.Errorf("%s: %q reads as text: give it a message id in locales/ and render it with T (or mark the line //i18n:ignore and say why)", l.pos, l.text)
			}
		}
	}
}

// TestEveryIDInTheCodeIsInTheCatalogue: each literal message id the catalogued packages pass
// to T, N or Has is in the English catalogue (the parity test then has it in every language).
func TestEveryIDInTheCodeIsInTheCatalogue(t *testing.T) {
	p := MustNew(EN)
	for _, dir := range catalogued {
		for _, l := range literals(t, dir) {
			if l.id && !p.Has(l.text) {
				t.Errorf("%s: message id %q is not in the catalogue", l.pos, l.text)
			}
		}
	}
}

func TestLooksLikeText(t *testing.T) {
	for s, want := range map[string]bool{
		"Scopes": true, "check again": true, "Done.": true, "issuer ": false, "enter": false,
		"%s: %s": false, "ctrl+c": false, "15:04:05": false, "step.title": false, "urn:altinn:systemuser": false,
		"Fix the problem above, then check again.": true, "{{.Org}}": false, "\n\n": false, "MP-303": false,
	} {
		if got := looksLikeText(s); got != want {
			t.Errorf("looksLikeText(%q) = %v, want %v", s, got, want)
		}
	}
}
