package maskinporten

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
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

// Error is one sentence: what failed, the server's code, and what to do next.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("Maskinporten refused the token request")
	switch {
	case e.Problem.Code != "":
		fmt.Fprintf(&b, " with %s (%s, HTTP %d)", e.Problem.Code, e.Body.Error, e.Status)
	case e.Body.Error != "":
		fmt.Fprintf(&b, " with %s (HTTP %d)", e.Body.Error, e.Status)
	default:
		fmt.Fprintf(&b, " with HTTP %d", e.Status)
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
		fmt.Fprintf(&b, " Tried %d times in %s, each with a freshly signed grant.", e.Attempts, e.Elapsed.Round(100*time.Millisecond))
	}
	switch {
	case e.Known && len(mp.ScopeHints(e.Problem, e.Body.ErrorDescription)) > 0:
		fmt.Fprintf(&b, " %s Next: %s", e.Problem.Meaning, strings.Join(mp.ScopeHints(e.Problem, e.Body.ErrorDescription), " "))
	case e.Known:
		fmt.Fprintf(&b, " %s Next: %s", e.Problem.Meaning, e.Problem.Fixes[0])
	case e.Status == 429 || e.Status >= 500:
		b.WriteString(" Next: Maskinporten is busy or having trouble; try again in a few minutes.")
	default:
		b.WriteString(" Next: check the grant with `sbs-tui inspect`.")
	}
	// Only a trace id the server sent can be quoted; none is invented.
	if !e.Known && e.TraceID != "" {
		fmt.Fprintf(&b, " If it persists, quote trace id %s to Digdir's service desk.", e.TraceID)
	}
	return b.String()
}

// Explain returns the full explanation: meaning, every usual cause or fix, and the trace id.
func (e *Error) Explain() string {
	var b strings.Builder
	b.WriteString(e.Error())
	b.WriteString("\n")
	if e.Known && len(e.Problem.Fixes) > 1 {
		b.WriteString("Usual causes and fixes:\n")
		for i, f := range e.Problem.Fixes {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, f)
		}
	}
	if e.Body.ErrorURI != "" {
		fmt.Fprintf(&b, "Reference: %s\n", e.Body.ErrorURI)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, "Trace id (quote it to the service desk): %s\n", e.TraceID)
	}
	return b.String()
}
