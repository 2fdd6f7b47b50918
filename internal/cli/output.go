package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/charmbracelet/lipgloss"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// PrintJSON writes v as one JSON object on stdout, with every terminal control character in
// its strings (C0, DEL, C1, bidi) escaped as \uXXXX: server text reaches it verbatim.
// A nil list among an object's members is written [], not null, so that a program can range
// over it without a check.
func (a *App) PrintJSON(v any) error {
	if obj, ok := v.(map[string]any); ok {
		v = emptyLists(obj)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := a.Stdout.Write(termsafe.EscapeJSON(buf.Bytes()))
	return err
}

// emptyLists is obj with each nil slice member replaced by an empty one of its type.
func emptyLists(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
			v = reflect.MakeSlice(rv.Type(), 0, 0).Interface()
		}
		out[k] = v
	}
	return out
}

// FailJSON writes a failure as one JSON object and returns the error that sets exit code 1.
func (a *App) FailJSON(err error, extra map[string]any) error {
	obj := map[string]any{"ok": false, "error": err.Error()}
	for k, v := range extra {
		obj[k] = v
	}
	_ = a.PrintJSON(obj)
	return ReportedError{err}
}

// MaybeJSON is err, written as a JSON failure with --json (a usage error stays one).
func (a *App) MaybeJSON(asJSON bool, err error) error {
	var ue UsageError
	if asJSON && !errors.As(err, &ue) {
		return a.FailJSON(err, nil)
	}
	return err
}

// ReportTokenError prints a Maskinporten refusal with its full explanation.
func (a *App) ReportTokenError(asJSON bool, err error) error {
	var mpErr *maskinporten.Error
	if !errors.As(err, &mpErr) {
		return a.MaybeJSON(asJSON, err)
	}
	if asJSON {
		return a.FailJSON(err, map[string]any{
			"code": mpErr.Code(), "oauth_error": mpErr.Body.Error, "status": mpErr.Status,
			"trace_id": mpErr.TraceID, "fixes": mpErr.Problem.Fixes,
		})
	}
	fmt.Fprint(a.Stderr, mpErr.ExplainIn(a.Text()))
	return ReportedError{err}
}

// PrintViolations lists validation problems on stderr, each with its fix when one is known.
func (a *App) PrintViolations(title string, vs []altinn.Violation) {
	if len(vs) == 0 {
		return
	}
	st := a.Styles()
	fmt.Fprintf(a.Stderr, "%s\n", st.Bold.Render(title+":"))
	for _, v := range vs {
		code := ""
		if v.Code != "" {
			code = " [" + string(v.Code) + "]"
		}
		fmt.Fprintf(a.Stderr, "  %s: %s%s\n", termsafe.Line(v.Field), termsafe.Line(steps.ViolationMessage(a.Text(), v)), code)
		if p, ok := altinn.ProblemFor(v.Code); ok {
			fix := p.Fix
			if e, err := explain.Lookup(string(v.Code)); err == nil && len(e.Fixes) > 0 {
				fix = explain.Localize(e, a.Text()).Fixes[0]
			}
			fmt.Fprintf(a.Stderr, "    → %s\n", fix)
		}
	}
}

// ReportAltinnError prints Altinn's refusals and local validation with full explanations.
func (a *App) ReportAltinnError(asJSON bool, err error) error {
	var verr *steps.ViolationsError
	if errors.As(err, &verr) {
		if asJSON {
			return a.FailJSON(err, map[string]any{"problems": verr.Violations})
		}
		a.PrintViolations(a.T("cli.not_sent"), verr.Violations)
		return ReportedError{err}
	}
	if e, ok := altinnclient.AsError(err); ok {
		if asJSON {
			return a.FailJSON(err, map[string]any{"status": e.Status, "codes": e.Codes(), "trace_id": e.TraceID, "validation_errors": e.Validation})
		}
		fmt.Fprint(a.Stderr, e.ExplainIn(a.Text()))
		return ReportedError{err}
	}
	return a.ReportTokenError(asJSON, err)
}

// Styles are the few the headless output uses; a renderer without colour makes them plain.
type Styles struct {
	Pass, Warn, Fail, Skip, Dim, Bold, Title lipgloss.Style
}

// Styles are the headless output's styles on the command's renderer.
func (a *App) Styles() Styles {
	r := a.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(io.Discard)
	}
	return Styles{
		Pass:  r.NewStyle().Foreground(lipgloss.Color("2")),
		Warn:  r.NewStyle().Foreground(lipgloss.Color("3")),
		Fail:  r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		Skip:  r.NewStyle().Foreground(lipgloss.Color("8")),
		Dim:   r.NewStyle().Faint(true),
		Bold:  r.NewStyle().Bold(true),
		Title: r.NewStyle().Bold(true).Underline(true),
	}
}
