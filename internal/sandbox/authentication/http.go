package authentication

import (
	"net/http"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
)

// The Altinn platform's response conventions: problem+json for AUTH codes, a validation
// problem for AUTH.VLD codes, text/plain for BadRequest("…")/NotFound("…"), and empty bodies for
// Forbid()/Unauthorized()/NotFound().

func (s Base) traceID() string { return env.TraceID() }

// render writes a handler's refusal (or any other error, as a 500): the one place a refusal
// becomes an HTTP answer.
func (s Base) render(w http.ResponseWriter, err error) {
	refusal.Renderer{V4: s.Env.Opts.ProblemDetailsV4, TraceID: s.traceID, Log: s.Env.Opts.Logger}.Render(w, err)
}

// writeProblem answers with an AUTH code in the ProblemDetails layout the sandbox is set to.
func (s Base) writeProblem(w http.ResponseWriter, code altinn.Code, ext map[string]string) {
	s.render(w, refusal.Problem(code, ext))
}

// writeValidation answers 400 with one validation problem listing every violation.
func (s Base) writeValidation(w http.ResponseWriter, vs []altinn.Violation) {
	s.render(w, refusal.Validation(vs))
}

// writeModelError is ASP.NET's ValidationProblemDetails for a body that does not bind.
func (s Base) writeModelError(w http.ResponseWriter, field, msg string) {
	s.render(w, refusal.ModelError(field, msg))
}

// altinnHandler authenticates, checks scopes (any one of them), and hands over the caller.
type altinnHandler func(w http.ResponseWriter, r *http.Request, c *env.Caller)

func (s Base) altinnAuth(scopes []string, h altinnHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// A token without a consumer passes here; the actions answer for it as Altinn's do
		// (403 on the register, 401 AUTH-00023 or 401 on the request and system-user routes).
		c := env.Ring{Env: s.Env}.AuthenticateToken(r, true)
		if c == nil {
			env.WriteEmpty(w, http.StatusUnauthorized)
			return
		}
		ok := false
		for _, sc := range scopes {
			ok = ok || c.HasScope(sc)
		}
		if !ok {
			env.WriteEmpty(w, http.StatusForbidden)
			return
		}
		h(w, r, c)
	}
}

// decodeAltinnBody binds a JSON body like ASP.NET: case-insensitive names, then trims the
// strings of the top-level object (TrimStringsActionFilter).
func (s Base) decodeAltinnBody(w http.ResponseWriter, r *http.Request, v any) bool {
	_, ok := s.readAltinnBody(w, r, v)
	return ok
}

func trim(p *string) { *p = strings.TrimSpace(*p) }

// pgTime is a timestamp as Altinn emits it: stored in PostgreSQL (microseconds), written in UTC
// by System.Text.Json, trailing zeros dropped. Python's strptime('%f') reads at most 6 digits.
func pgTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// pgTimestamp is pgTime as the JSON string.
func pgTimestamp(t time.Time) string { return pgTime(t).Format(time.RFC3339Nano) }

// Base holds what every Altinn host shares: authentication, body binding and the ProblemDetails writers.
type Base struct{ Env *env.Env }
