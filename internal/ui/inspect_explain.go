package ui

import (
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// explainedMsg is a pasted error body, explained from the clients' catalogue.
type explainedMsg struct {
	text string
	err  error
}

// isErrorBody tells a pasted JSON error body from a token.
func isErrorBody(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "{") }

func explainBody(t *i18n.Printer, s string) explainedMsg {
	b, err := explain.ParseBody([]byte(s))
	if err != nil {
		return explainedMsg{err: err}
	}
	return explainedMsg{text: termsafe.Clean(explain.FormatBodyIn(t, b))}
}
