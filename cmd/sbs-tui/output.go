package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// printJSON writes v as one JSON object on stdout, with every terminal control character in
// its strings (C0, DEL, C1, bidi) escaped as \uXXXX: server text reaches it verbatim.
func (a *app) printJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := a.stdout.Write(termsafe.EscapeJSON(buf.Bytes()))
	return err
}

// failJSON writes a failure as one JSON object and returns the error that sets exit code 1.
func (a *app) failJSON(err error, extra map[string]any) error {
	obj := map[string]any{"ok": false, "error": err.Error()}
	for k, v := range extra {
		obj[k] = v
	}
	_ = a.printJSON(obj)
	return reportedError{err}
}

// styles are the few the headless output uses; a renderer without colour makes them plain.
type styles struct {
	pass, warn, fail, skip, dim, bold, title lipgloss.Style
}

func (a *app) styles() styles {
	r := a.renderer
	if r == nil {
		r = lipgloss.NewRenderer(io.Discard)
	}
	return styles{
		pass:  r.NewStyle().Foreground(lipgloss.Color("2")),
		warn:  r.NewStyle().Foreground(lipgloss.Color("3")),
		fail:  r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		skip:  r.NewStyle().Foreground(lipgloss.Color("8")),
		dim:   r.NewStyle().Faint(true),
		bold:  r.NewStyle().Bold(true),
		title: r.NewStyle().Bold(true).Underline(true),
	}
}

func (st styles) verdict(v steps.Verdict) string {
	switch v {
	case steps.Pass:
		return st.pass.Render("✓ pass")
	case steps.Warn:
		return st.warn.Render("! warn")
	case steps.Fail:
		return st.fail.Render("✗ FAIL")
	default:
		return st.skip.Render("- skip")
	}
}

// printChecks writes checks as aligned lines; every server-supplied text is cleaned.
func (a *app) printChecks(w io.Writer, checks []steps.Check) {
	st := a.styles()
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	for _, c := range checks {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		fmt.Fprintf(w, "  %s  %-*s  %s%s\n", st.verdict(c.Verdict), width, termsafe.Line(c.Name), termsafe.Line(c.Detail), code)
		if c.Fix != "" && c.Verdict != steps.Pass {
			fmt.Fprintf(w, "  %s  %-*s  %s\n", strings.Repeat(" ", 6), width, "", st.dim.Render("→ "+termsafe.Line(c.Fix)))
		}
	}
}
