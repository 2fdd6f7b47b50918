package kit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// VerdictMark is a check's verdict as one styled character.
func VerdictMark(st Styles, v steps.Verdict) string {
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

// RenderChecks draws checks as lines, wrapping details to width; fixes go on their own line.
func RenderChecks(st Styles, checks []steps.Check, width int) string {
	var b strings.Builder
	for _, c := range checks {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		line := fmt.Sprintf("%s %s: %s%s", VerdictMark(st, c.Verdict), st.Bold.Render(termsafe.Line(c.Title())), termsafe.Line(c.Detail), code)
		b.WriteString(WrapText(line, width) + "\n")
		if c.Fix != "" && c.Verdict != steps.Pass {
			b.WriteString(WrapText(st.Subtle.Render("  → "+termsafe.Line(c.Fix)), width) + "\n")
		}
	}
	return b.String()
}

// ErrorBox shows an error as a sentence in env's language; the footer says what can be done
// next.
func ErrorBox(env *Env, err error, width int) string {
	return WrapText(env.Styles.Error.Render("✗ "+termsafe.Clean(env.Text.Error(err))), width)
}

// WrapText wraps s to width at spaces only: URLs, codes, ids and tokens are never broken at a
// hyphen. A word longer than the line gets lines of its own, cut at the width (c copies the
// whole value). Continuation lines keep the line's indentation.
func WrapText(s string, width int) string {
	width = max(width, 10)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = WrapLine(l, width)
	}
	return strings.Join(lines, "\n")
}

// listMarker is the start of a list item whose wrapped lines continue under its text.
var listMarker = regexp.MustCompile(`^ *(\d+\.|[-•→✓✗!]) `)

// WrapLine wraps one line at width without breaking words, URLs or codes.
func WrapLine(l string, width int) string {
	if ansi.StringWidth(l) <= width {
		return l
	}
	// lipgloss pads every line of a block to the block's width: that padding is not text.
	if t := strings.TrimRight(l, " "); ansi.StringWidth(t) <= width {
		return t
	} else {
		l = t
	}
	plain := ansi.Strip(l)
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	if m := listMarker.FindString(plain); m != "" {
		indent = ansi.StringWidth(m) // continue a list item under its text
	}
	if indent > width/2 {
		indent = 0
	}
	pad := strings.Repeat(" ", indent)
	lead := len(l) - len(strings.TrimLeft(l, " "))
	words := strings.Split(l[lead:], " ")
	if lead > 0 {
		words[0] = l[:lead] + words[0]
	}
	var out []string
	cur, curW := "", 0
	started := false // the current line has a word (maybe an empty one: runs of spaces)
	flush := func() {
		out = append(out, cur)
		cur, curW, started = pad, indent, false
	}
	empty := func() bool { return !started }
	for _, w := range words {
		ww := ansi.StringWidth(w)
		switch {
		case !empty() && curW+1+ww <= width:
			cur += " " + w
			curW += 1 + ww
		case empty() && curW+ww <= width:
			cur += w
			curW += ww
			started = true
		case ww > width-indent && ww <= width:
			// Fits the line only without the indentation: give it a whole line.
			if !empty() {
				flush()
			}
			out = append(out, w)
			cur, curW, started = pad, indent, false
			continue
		case ww > width-indent:
			if !empty() {
				flush()
			}
			parts := strings.Split(ansi.Hardwrap(w, width-indent, false), "\n")
			for _, p := range parts[:len(parts)-1] {
				out = append(out, pad+p)
			}
			cur, curW, started = pad+parts[len(parts)-1], indent+ansi.StringWidth(parts[len(parts)-1]), true
		default:
			flush()
			cur += w
			curW += ww
			started = true
		}
	}
	if !empty() || len(out) == 0 {
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}

// Hint is a key and what it does, for text that names a key.
func Hint(st Styles, k, what string) string { return st.Key.Render(k) + " " + what }

// SplitList splits a list typed with commas, spaces or newlines.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

// ViolationText is one validation failure as a line in p's language: field, message, code
// and the catalogue's fix for the code.
func ViolationText(p *i18n.Printer, v altinn.Violation) string {
	v = steps.LocalizeViolation(p, v)
	t := termsafe.Line(v.Field) + ": " + termsafe.Line(v.Message)
	if v.Code != "" {
		t += " [" + string(v.Code) + "]"
		if pr, ok := altinn.ProblemFor(v.Code); ok {
			// Its catalogue entry in p's language, without building the whole catalogue
			// (explain.Lookup) on every redraw.
			t += " → " + explain.Localize(explain.Entry{Code: string(pr.Code), Fixes: []string{pr.Fix}}, p).Fixes[0]
		}
	}
	return t
}

// explainer is an error that carries its own explanation for the user (code, meaning, fix).
type explainer interface{ Explain() string }

// explainerIn is an explainer that speaks a printer's language.
type explainerIn interface{ ExplainIn(p *i18n.Printer) string }

// HasExplanation reports an error with its own explanation.
func HasExplanation(err error) bool {
	var ex explainer
	return errors.As(err, &ex)
}

// Explained is the error's explanation when it has one, else its message in p's language;
// cleaned of terminal controls (errors carry server text).
func Explained(p *i18n.Printer, err error) string {
	var exIn explainerIn
	if errors.As(err, &exIn) {
		return termsafe.Clean(exIn.ExplainIn(p))
	}
	var ex explainer
	if errors.As(err, &ex) {
		return termsafe.Clean(ex.Explain())
	}
	return termsafe.Clean(p.Error(err))
}

// TypedPath is a file path as typed into a field: trimmed, and with a leading ~ for the home
// directory, as a shell would expand it (a field is not a shell, and ~/system.json was "no
// such file").
func TypedPath(p string) string {
	p = strings.TrimSpace(p)
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~"))
}
