package page

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// padLabels pads the labels of a block of rows to one column: the widest label and two
// spaces, so "Request", "Customer" and their values line up in any language.
func padLabels(labels ...string) []string {
	w := 0
	for _, l := range labels {
		w = max(w, lipgloss.Width(l))
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = l + strings.Repeat(" ", w-lipgloss.Width(l)+2)
	}
	return out
}

// altinnAdvice is one of internal/domain/altinn's advice texts in the user's language: the
// English message is a copy of the domain's constant, which the CLI prints
// (TestAltinnAdviceCopies keeps the two equal).
func altinnAdvice(env *kit.Env, id string) string {
	return env.T(id, "Question", altinn.EscalateQuestionNB, "Button", altinn.EscalateButtonNB)
}
