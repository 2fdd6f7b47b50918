package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// The Altinn platform's response conventions: problem+json for AUTH codes, a validation
// problem for AUTH.VLD codes, text/plain for BadRequest("…")/NotFound("…"), and empty bodies for
// Forbid()/Unauthorized()/NotFound().

const altinnPrefix = "/altinn/"

func altinnIssuerOf(r *http.Request) string {
	return baseURL(r) + altinnPrefix + "authentication/api/v1/openid/"
}

func (s *Sandbox) traceID() string { return "00-" + randomHex(16) + "-" + randomHex(8) + "-01" }

// writeProblem answers with an AUTH code in the ProblemDetails layout the sandbox is set to.
func (s *Sandbox) writeProblem(w http.ResponseWriter, code string, ext map[string]string) {
	p := altinn.MustProblem(code)
	body := altinn.ProblemBody{Status: p.Status, Code: code, TraceID: s.traceID(), Extensions: ext}
	if s.opts.ProblemDetailsV4 {
		body.Type = "https://tools.ietf.org/html/rfc9110#section-15.5"
		body.Title = http.StatusText(p.Status)
		body.Detail = p.Title
	} else {
		body.Type = "urn:altinn:error:" + code
		body.Title = p.Title
		body.StatusDescription = http.StatusText(p.Status)
	}
	s.writeProblemBody(w, p.Status, body)
}

func (s *Sandbox) writeProblemBody(w http.ResponseWriter, status int, body altinn.ProblemBody) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeValidation answers 400 with one validation problem listing every violation.
func (s *Sandbox) writeValidation(w http.ResponseWriter, vs []altinn.Violation) {
	body := altinn.ProblemBody{Status: 400, Code: "STD-00000", TraceID: s.traceID()}
	if s.opts.ProblemDetailsV4 {
		body.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1"
		body.Title = "Bad Request"
	} else {
		body.Type = "urn:altinn:error:STD-00000"
		body.Title = "One or more validation errors occurred."
		body.StatusDescription = "Bad Request"
	}
	for _, v := range vs {
		p := altinn.MustProblem(v.Code)
		ve := altinn.ValidationError{Code: v.Code, Paths: []string{p.Path}, Extensions: v.Extensions}
		if s.opts.ProblemDetailsV4 {
			ve.Detail = p.Title
		} else {
			ve.Title = p.Title
		}
		body.ValidationErrors = append(body.ValidationErrors, ve)
	}
	s.writeProblemBody(w, 400, body)
}

// writeModelError is ASP.NET's ValidationProblemDetails for a body that does not bind.
func (s *Sandbox) writeModelError(w http.ResponseWriter, field, msg string) {
	s.writeProblemBody(w, 400, altinn.ProblemBody{
		Type: "https://tools.ietf.org/html/rfc9110#section-15.5.1", Title: "One or more validation errors occurred.",
		Status: 400, TraceID: s.traceID(), Errors: map[string][]string{field: {msg}},
	})
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func writeEmpty(w http.ResponseWriter, status int) { w.WriteHeader(status) }

// altinnJSON writes a success body the way ASP.NET does (camelCase, nulls omitted by the types).
func altinnJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// altinnHandler authenticates, checks scopes (any one of them), and hands over the caller.
type altinnHandler func(w http.ResponseWriter, r *http.Request, c *caller)

func (s *Sandbox) altinnAuth(scopes []string, h altinnHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.authenticate(r, true)
		if c == nil {
			writeEmpty(w, http.StatusUnauthorized)
			return
		}
		ok := false
		for _, sc := range scopes {
			ok = ok || c.hasScope(sc)
		}
		if !ok {
			writeEmpty(w, http.StatusForbidden)
			return
		}
		h(w, r, c)
	}
}

// decodeAltinnBody binds a JSON body like ASP.NET: case-insensitive names, then trims the
// strings of the top-level object (TrimStringsActionFilter).
func (s *Sandbox) decodeAltinnBody(w http.ResponseWriter, r *http.Request, v any) bool {
	_, ok := s.readAltinnBody(w, r, v)
	return ok
}

func trim(p *string) { *p = strings.TrimSpace(*p) }

// pgTime is a timestamp as Altinn emits it: stored in PostgreSQL (microseconds), written in UTC
// by System.Text.Json, trailing zeros dropped. Python's strptime('%f') reads at most 6 digits.
func pgTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// pgTimestamp is pgTime as the JSON string.
func pgTimestamp(t time.Time) string { return pgTime(t).Format(time.RFC3339Nano) }
