package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

func verdictMark(st Styles, v steps.Verdict) string {
	switch v {
	case steps.Pass:
		return st.Pass.Render("✓")
	case steps.Warn:
		return st.Warn.Render("!")
	case steps.Fail:
		return st.Fail.Render("✗")
	default:
		return st.Subtle.Render("-")
	}
}

// renderChecks draws checks as lines, wrapping details to width; fixes go on their own line.
func renderChecks(st Styles, checks []steps.Check, width int) string {
	var b strings.Builder
	wrap := lipgloss.NewStyle().Width(max(width-4, 20))
	for _, c := range checks {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		line := fmt.Sprintf("%s %s: %s%s", verdictMark(st, c.Verdict), st.Bold.Render(termsafe.Line(c.Name)), termsafe.Line(c.Detail), code)
		b.WriteString(wrap.Render(line) + "\n")
		if c.Fix != "" && c.Verdict != steps.Pass {
			b.WriteString(wrap.Render(st.Subtle.Render("  → "+termsafe.Line(c.Fix))) + "\n")
		}
	}
	return b.String()
}

// errorBox shows an error as a sentence with what to do: retry or go back.
func errorBox(st Styles, err error, width int) string {
	text := termsafe.Clean(err.Error())
	return st.Error.Render(lipgloss.NewStyle().Width(max(width-2, 20)).Render("✗ "+text)) + "\n" +
		st.Subtle.Render("r retries · b goes back")
}

func hint(st Styles, k, what string) string { return st.Key.Render(k) + " " + what }

func wrapText(s string, width int) string {
	return lipgloss.NewStyle().Width(max(width, 20)).Render(s)
}
