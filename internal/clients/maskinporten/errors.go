package maskinporten

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Error is a token request Maskinporten refused, with the catalogue's explanation.
type Error struct {
	Status  int
	Body    mp.ErrorBody
	Problem mp.Problem // zero when Known is false
	Known   bool
	TraceID string
	Raw     string // the body when it was not the JSON error shape (cleaned, truncated)
	// RetryAfter is the server's Retry-After, if it sent one.
	RetryAfter time.Duration
	// Attempts and Elapsed say how long the client kept trying (Attempts 0 or 1: once).
	Attempts int
	Elapsed  time.Duration
}

// NewError interprets a non-200 token endpoint response.
func NewError(status int, body []byte) *Error {
	e := &Error{Status: status}
	if err := json.Unmarshal(body, &e.Body); err != nil || e.Body.Error == "" {
		e.Raw = termsafe.Truncate(termsafe.Line(string(body)), 300)
	}
	e.Body.Error = termsafe.Line(e.Body.Error)
	e.Body.ErrorDescription = termsafe.Line(e.Body.ErrorDescription)
	e.Body.ErrorURI = termsafe.Line(e.Body.ErrorURI)
	e.TraceID = mp.TraceID(e.Body.ErrorDescription)
	e.Problem, e.Known = mp.Classify(e.Body)
	return e
}

// Code is the MP code ("MP-200") or "" when the error carries none.
func (e *Error) Code() string { return e.Problem.Code }

// Error is one sentence in English: what failed, the server's code, and what to do next (In
// says it in the user's language).
func (e *Error) Error() string { return e.In(i18n.English()) }

// Explain returns the full explanation in English: meaning, every usual cause or fix, and
// the trace id.
func (e *Error) Explain() string { return e.ExplainIn(i18n.English()) }

// In is Error in p's language: the server's code and text as it said them, the meaning and
// the first fix from the explain catalogue, the refused scopes' hints (i18n.Printer.Error
// finds it).
func (e *Error) In(p *i18n.Printer) string { return e.in(p, true) }

// Brief is In without the next step, for a display that lists the fixes itself (FixesIn).
func (e *Error) Brief(p *i18n.Printer) string { return e.in(p, false) }

// FixesIn are the refusal's usual causes and fixes in p's language (none for an unknown one).
func (e *Error) FixesIn(p *i18n.Printer) []string {
	if !e.Known {
		return nil
	}
	return e.localized(p).Fixes
}

// in is In; firstFix false leaves out the first fix, for ExplainIn, which lists every cause
// after it (the first was said twice).
func (e *Error) in(p *i18n.Printer, firstFix bool) string {
	var b strings.Builder
	b.WriteString(p.T("clients.mp.refused"))
	switch {
	case e.Problem.Code != "":
		b.WriteString(p.T("clients.mp.with_code", "Code", e.Problem.Code, "Error", e.Body.Error, "Status", e.Status))
	case e.Body.Error != "":
		b.WriteString(p.T("clients.mp.with_error", "Error", e.Body.Error, "Status", e.Status))
	default:
		b.WriteString(p.T("clients.mp.with_status", "Status", e.Status))
	}
	desc := e.Body.ErrorDescription
	if desc == "" {
		desc = e.Raw
	}
	if desc != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSuffix(desc, "."))
	}
	b.WriteString(".")
	if e.Attempts > 1 {
		elapsed := p.Duration(e.Elapsed)
		if p.Lang() == i18n.EN {
			elapsed = e.Elapsed.Round(100 * time.Millisecond).String() // to the tenth, as retries are short
		}
		b.WriteString(p.T("clients.mp.tried", "Count", e.Attempts, "Elapsed", elapsed))
	}
	entry := e.localized(p)
	switch {
	case e.Known && len(e.scopeHintsIn(p)) > 0:
		b.WriteString(" " + entry.Means + p.T("clients.mp.next", "Fix", strings.Join(e.scopeHintsIn(p), " ")))
	case e.Known && len(entry.Fixes) > 0 && firstFix:
		b.WriteString(" " + entry.Means + p.T("clients.mp.next", "Fix", entry.Fixes[0]))
	case e.Known && len(entry.Fixes) > 0:
		b.WriteString(" " + entry.Means)
	case e.Status == 429 || e.Status >= 500:
		b.WriteString(p.T("clients.mp.busy"))
	default:
		b.WriteString(p.T("clients.mp.inspect"))
	}
	if !e.Known && e.TraceID != "" {
		b.WriteString(p.T("clients.mp.trace_quote", "ID", e.TraceID))
	}
	return b.String()
}

// ExplainIn is Explain in p's language.
func (e *Error) ExplainIn(p *i18n.Printer) string {
	var b strings.Builder
	entry := e.localized(p)
	listed := e.Known && len(entry.Fixes) > 1
	b.WriteString(e.in(p, !listed) + "\n")
	if listed {
		b.WriteString(p.T("clients.mp.causes") + "\n")
		for i, f := range entry.Fixes {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, f)
		}
	}
	if e.Body.ErrorURI != "" {
		b.WriteString(p.T("clients.mp.reference", "URI", e.Body.ErrorURI) + "\n")
	}
	if e.TraceID != "" {
		b.WriteString(p.T("clients.altinn.trace", "ID", e.TraceID) + "\n")
	}
	return b.String()
}

// localized is the problem's explain entry in p's language (its meaning and fixes); the
// catalogue's own English when explain lacks it.
func (e *Error) localized(p *i18n.Printer) explain.Entry {
	q := e.Problem.Code
	if q == "" {
		q = string(e.Problem.Key)
	}
	entry, err := explain.Lookup(q)
	if err != nil {
		return explain.Entry{Means: e.Problem.Meaning, Fixes: e.Problem.Fixes}
	}
	return explain.Localize(entry, p)
}

// scopeHintsIn are mp.ScopeHints in p's language.
func (e *Error) scopeHintsIn(p *i18n.Printer) []string {
	var out []string
	for _, sc := range mp.RefusedScopes(e.Body.ErrorDescription) {
		if cause, grant := mp.ScopeHintKinds(e.Problem, sc); cause != "" {
			out = append(out, p.T("clients.scope."+cause, "Scope", sc, "Grant", p.T("clients.scope.grant."+grant)))
		}
	}
	return out
}
