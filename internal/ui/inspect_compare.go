package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// errSameToken says the second token pasted is the first one again, in t's language.
func errSameToken(t *i18n.Printer) error { return errors.New(t.T("uimisc.compare.same_token")) }

// compareView shows two tokens claim by claim: = same, ≠ a difference that matters (with why),
// ~ one that always differs (times, jti).
func compareView(t *i18n.Printer, st kit.Styles, a, b *steps.Inspection, width int) string {
	var sb strings.Builder
	for i, in := range []*steps.Inspection{a, b} {
		env := in.Report.IssuerEnv
		if env == "" {
			env = t.T("uimisc.compare.unknown_env")
		}
		fmt.Fprintf(&sb, "%s %s (%s)\n", st.Bold.Render([]string{"A", "B"}[i]), termsafe.Line(string(in.Report.Kind)), termsafe.Line(env))
	}
	part := ""
	// The name column is 24 wide; a ~ row holds both values on one line, a ≠ row one a line.
	room := max(width-28, 16)
	show := func(v string, room int) string {
		if v == "" {
			return st.Subtle.Render(t.T("uimisc.compare.absent"))
		}
		return termsafe.Truncate(termsafe.Line(v), room)
	}
	for _, d := range tokeninspect.Compare(a.Decoded, b.Decoded) {
		if d.Part != part {
			part = d.Part
			sb.WriteString("\n" + st.Title.Render(map[string]string{"header": t.T("uimisc.compare.header"), "claims": t.T("uimisc.compare.claims")}[part]) + "\n")
		}
		name := termsafe.Truncate(termsafe.Line(d.Name), 22)
		note := d.NoteIn(t)
		switch {
		case d.Same:
			fmt.Fprintf(&sb, "%s %-22s %s\n", st.Pass.Render("="), name, show(d.A, room))
		case note == "":
			half := max((room-3)/2, 8)
			fmt.Fprintf(&sb, "%s %-22s %s → %s\n", st.Subtle.Render("~"), name, show(d.A, half), show(d.B, half))
		default:
			fmt.Fprintf(&sb, "%s %-22s A %s\n  %-22s B %s\n", st.Warn.Render("≠"), name, show(d.A, room), "", show(d.B, room))
			for _, l := range strings.Split(kit.WrapText("→ "+note, max(width-25, 20)), "\n") {
				sb.WriteString(strings.Repeat(" ", 25) + st.Subtle.Render(l) + "\n")
			}
		}
	}
	return sb.String()
}
