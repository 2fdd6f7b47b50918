package altinn

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Error is a refusal from an Altinn API, keyed on its code (AUTH-…, STD-00000 with AUTH.VLD
// entries) and falling back on the HTTP status, with the trace id kept for support.
type Error struct {
	Op string
	// Operation is Op as an id, so that In can say it in the user's language.
	Operation  Operation
	Status     int
	Code       string
	Text       string // title/detail of a problem, or a text/plain body
	TraceID    string
	Validation []altinn.ValidationError
	Fields     map[string][]string // ASP.NET model-binding errors
	Extensions map[string]string
	// Scope is the scope the call needed (shown on 403).
	Scope string
	// RetryAfter is the wait a 429 or 503 asked for (Retry-After), 0 if none.
	RetryAfter time.Duration
}

// ParseError reads any of Altinn's error body shapes; the text is cleaned for display.
func ParseError(op, scope string, status int, contentType string, body []byte) *Error {
	e := &Error{Op: op, Status: status, Scope: scope}
	trimmed := strings.TrimSpace(string(body))
	if strings.Contains(contentType, "json") || strings.HasPrefix(trimmed, "{") {
		var p altinn.ProblemBody
		if json.Unmarshal(body, &p) == nil {
			e.Code = p.Code
			e.Text = p.Detail
			// 5.x puts the descriptor text in title; 4.x puts the HTTP reason there.
			if p.Title != "" && (e.Text == "" || p.StatusDescription != "") {
				e.Text = p.Title
			}
			e.TraceID = p.TraceID
			e.Validation = p.ValidationErrors
			e.Fields = p.Errors
			e.Extensions = p.Extensions
			e.clean()
			return e
		}
	}
	if trimmed != "" {
		e.Text = trimmed
	}
	e.clean()
	return e
}

func (e *Error) clean() {
	e.Text = termsafe.Truncate(termsafe.Line(e.Text), 500)
	e.Code = termsafe.Line(e.Code)
	e.TraceID = termsafe.Line(e.TraceID)
	for k, v := range e.Extensions {
		e.Extensions[k] = termsafe.Truncate(termsafe.Line(v), 500)
	}
	for i := range e.Validation {
		v := &e.Validation[i]
		v.Code, v.Title, v.Detail = termsafe.Line(v.Code), termsafe.Line(v.Title), termsafe.Line(v.Detail)
		for k, val := range v.Extensions {
			v.Extensions[k] = termsafe.Truncate(termsafe.Line(val), 500)
		}
	}
}

// Codes returns the error's codes: the AUTH code, or each AUTH.VLD code of a validation problem.
func (e *Error) Codes() []string {
	if len(e.Validation) > 0 {
		var out []string
		for _, v := range e.Validation {
			out = append(out, v.Code)
		}
		return out
	}
	if e.Code != "" {
		return []string{e.Code}
	}
	return nil
}

// HasCode reports whether the error carries code.
func (e *Error) HasCode(code string) bool {
	for _, c := range e.Codes() {
		if c == code {
			return true
		}
	}
	return false
}

// NotFound reports a 404 (of any shape).
func (e *Error) NotFound() bool { return e.Status == http.StatusNotFound }

func scopeNote(scope string) string {
	if scope == "" {
		return ""
	}
	return " (" + scope + ")"
}

// Error is one sentence in English: what failed, the server's code, what it means and what
// to do (In says it in the user's language).
func (e *Error) Error() string { return e.In(i18n.English()) }

// Explain is the full text in English: every validation entry with its meaning and fix,
// extensions, model errors and the trace id.
func (e *Error) Explain() string { return e.ExplainIn(i18n.English()) }

// In is Error in p's language: the operation, the codes, the server's own text as it said it,
// and the meaning and fix from the explain catalogue (i18n.Printer.Error finds it).
func (e *Error) In(p *i18n.Printer) string {
	what := e.Op // a caller outside this package names it in English
	if e.Operation.ID != "" {
		what = e.Operation.In(p)
	}
	var b strings.Builder
	b.WriteString(p.T("clients.altinn.refused", "Op", what))
	codes := e.Codes()
	if len(codes) > 0 {
		b.WriteString(p.T("clients.altinn.with", "Codes", strings.Join(codes, ", ")))
	}
	b.WriteString(p.T("clients.altinn.status", "Status", e.Status))
	if e.Text != "" && len(e.Validation) == 0 {
		fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Text, "."))
	}
	b.WriteString(".")
	meaning, fix := e.statusAdviceIn(p)
	if len(codes) > 0 {
		if m, f, ok := localizedProblem(p, codes[0]); ok {
			meaning, fix = m, f
		}
	}
	if len(e.Validation) > 1 {
		meaning = p.T("clients.altinn.rules", "Count", len(e.Validation))
	}
	// A meaning that only repeats the server's text ("Not Found." and "Not found.") is left out.
	if meaning != "" && !strings.EqualFold(strings.TrimSuffix(meaning, "."), strings.TrimSuffix(strings.TrimSpace(e.Text), ".")) {
		b.WriteString(" " + meaning)
	}
	b.WriteString(p.T("clients.altinn.next", "Fix", strings.TrimSuffix(fix, ".")))
	return b.String()
}

// ExplainIn is Explain in p's language.
func (e *Error) ExplainIn(p *i18n.Printer) string {
	var b strings.Builder
	b.WriteString(e.In(p) + "\n")
	for _, v := range e.Validation {
		fmt.Fprintf(&b, "  %s %s\n", v.Code, v.Text())
		if m, f, ok := localizedProblem(p, v.Code); ok {
			fmt.Fprintf(&b, "      %s %s %s\n", m, p.T("clients.altinn.fix_label"), f)
		}
		for _, k := range slices.Sorted(maps.Keys(v.Extensions)) {
			fmt.Fprintf(&b, "      %s %s\n", strings.TrimSpace(k), v.Extensions[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.Extensions)) {
		fmt.Fprintf(&b, "  %s: %s\n", k, e.Extensions[k])
	}
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		fmt.Fprintf(&b, "  %s: %s\n", termsafe.Line(k), termsafe.Line(strings.Join(e.Fields[k], "; ")))
	}
	if e.TraceID != "" {
		b.WriteString(p.T("clients.altinn.trace", "ID", e.TraceID) + "\n")
	}
	return b.String()
}

// localizedProblem is a code's meaning and first fix in p's language, from the explain
// catalogue (the same texts `sbs-tui explain CODE` shows; in English, altinn.ProblemFor's).
func localizedProblem(p *i18n.Printer, code string) (meaning, fix string, ok bool) {
	entry, err := explain.Lookup(code)
	if err != nil || len(entry.Fixes) == 0 {
		return "", "", false
	}
	entry = explain.Localize(entry, p)
	return entry.Means, entry.Fixes[0], true
}

func (e *Error) statusAdviceIn(p *i18n.Printer) (meaning, fix string) {
	id := ""
	switch {
	case e.Status == http.StatusUnauthorized:
		id = "s401"
	case e.Status == http.StatusForbidden:
		id = "s403"
	case e.Status == http.StatusNotFound:
		id = "s404"
	case e.Status == http.StatusTooManyRequests:
		id = "s429"
	case e.Status >= 500:
		id = "s5xx"
	default:
		return "", p.T("clients.altinn.other_fix")
	}
	return p.T("clients.altinn."+id+"_meaning", "Scope", scopeNote(e.Scope)), p.T("clients.altinn." + id + "_fix")
}
