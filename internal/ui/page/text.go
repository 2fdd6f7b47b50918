package page

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// duration says d as the step's screens always did in English (tokeninspect's "4m32s" form,
// which the tests and the CLI share) and in the printer's words in Norwegian ("4 min 32 s").
func duration(env *kit.Env, d time.Duration) string { return kit.Duration(env.Text, d) }

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

// relative says when t is from now: tokeninspect's "in 4m32s" / "2m ago" in English (as the
// CLI says it), the catalogue's words with the printer's durations otherwise.
func relative(env *kit.Env, t, now time.Time) string { return kit.Relative(env.Text, t, now) }

// altinnAdvice is one of internal/domain/altinn's advice texts (en, which the CLI prints
// too) or, in Norwegian, the catalogue's message id.
func altinnAdvice(env *kit.Env, id, en string) string {
	if env.Text.Lang() == i18n.EN {
		return en
	}
	return env.T(id, "Question", altinn.EscalateQuestionNB, "Button", altinn.EscalateButtonNB)
}
