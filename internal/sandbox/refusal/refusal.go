// Package refusal is the sandbox's one refusal type. A handler returns a *Refusal as an error
// (from inside a store update too, which then keeps nothing), and the host's Renderer writes it
// to HTTP in one place, in the body layout the emulated server uses: an Altinn ProblemDetails
// for an AUTH code, a validation problem for AUTH.VLD codes, ASP.NET's model-binding errors,
// text/plain, or an empty body.
package refusal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

type form int

const (
	formEmpty      form = iota // Forbid(), Unauthorized(): status only
	formText                   // BadRequest("…"), Conflict("…"): text/plain
	formProblem                // an AUTH code as ProblemDetails
	formValidation             // AUTH.VLD violations in one validation problem
	formEntry                  // one AUTH.VLD entry with the controller's own title
	formModel                  // ASP.NET's ValidationProblemDetails (`errors` map)
	formStatus                 // a bare NotFound()/Unauthorized() mapped to RFC 7807
	formUnhandled              // an exception: the ErrorController's Problem()
)

// Refusal is a refused request. Code and Title name an Altinn code and its text (Error gives
// "code: title"); the other fields carry what the body needs.
type Refusal struct {
	Status int
	Code   altinn.Code
	Title  string
	Path   string // the validation path of an entry
	Text   string
	Ext    map[string]string

	form       form
	violations []altinn.Violation
	errs       map[string][]string
}

func (r *Refusal) Error() string {
	if r.Code != "" {
		return string(r.Code) + ": " + r.Title
	}
	if r.Text != "" {
		return fmt.Sprintf("%d: %s", r.Status, r.Text)
	}
	return fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
}

// Empty is a status with an empty body.
func Empty(status int) *Refusal { return &Refusal{Status: status, form: formEmpty} }

// Text is a text/plain body.
func Text(status int, text string) *Refusal {
	return &Refusal{Status: status, Text: text, form: formText}
}

// Problem is an AUTH code with its catalogue status and title, and extension members.
func Problem(code altinn.Code, ext map[string]string) *Refusal {
	p := altinn.MustProblem(code)
	return &Refusal{Status: p.Status, Code: code, Title: p.Title, Ext: ext, form: formProblem}
}

// Validation is one 400 validation problem listing every violation.
func Validation(vs []altinn.Violation) *Refusal {
	r := &Refusal{Status: http.StatusBadRequest, form: formValidation, violations: vs}
	if len(vs) > 0 {
		r.Code, r.Title = vs[0].Code, altinn.MustProblem(vs[0].Code).Title
	}
	return r
}

// Entry is a validation problem of one AUTH.VLD entry with its own title and path (the
// client-delegation controller's codes).
func Entry(code altinn.Code, title, path string) *Refusal {
	return &Refusal{Status: http.StatusBadRequest, Code: code, Title: title, Path: path, form: formEntry}
}

// ModelErrors is ASP.NET's ValidationProblemDetails for a body that does not bind. With one
// key it carries that key's first message only.
func ModelErrors(errs map[string][]string) *Refusal {
	return &Refusal{Status: http.StatusBadRequest, form: formModel, errs: errs}
}

// ModelError is ModelErrors with one field and message.
func ModelError(field, msg string) *Refusal {
	return ModelErrors(map[string][]string{field: {msg}})
}

// Status is what a bare NotFound(), Unauthorized() or BadRequest() becomes through ASP.NET's
// client-error mapping.
func Status(status int) *Refusal { return &Refusal{Status: status, form: formStatus} }

// StatusDetail is Status with a detail text (ASP.NET's Problem(detail, statusCode)).
func StatusDetail(status int, detail string) *Refusal {
	return &Refusal{Status: status, Text: detail, form: formStatus}
}

// Unhandled is an exception escaping an Altinn controller: 500 from the ErrorController.
func Unhandled() *Refusal {
	return &Refusal{Status: http.StatusInternalServerError, form: formUnhandled}
}

// Renderer writes refusals in the layout the sandbox is set to.
type Renderer struct {
	V4      bool // Altinn's ProblemDetails 4.x layout (text in detail)
	TraceID func() string
	Log     *slog.Logger
}

// Render writes err: a *Refusal in its layout, anything else as a logged 500.
func (rd Renderer) Render(w http.ResponseWriter, err error) {
	var r *Refusal
	if !errors.As(err, &r) {
		rd.Log.Error("internal error", "error", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	switch r.form {
	case formEmpty:
		w.WriteHeader(r.Status)
	case formText:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(r.Status)
		_, _ = io.WriteString(w, r.Text)
	case formProblem:
		rd.problem(w, r)
	case formValidation:
		rd.validation(w, r.violations)
	case formEntry:
		// The client-delegation controller builds this body itself, in the 5.x layout.
		writeBody(w, http.StatusBadRequest, altinn.ProblemBody{Type: "urn:altinn:error:STD-00000",
			Title: "One or more validation errors occurred.", Status: 400, Code: string(altinn.CodeStdValidation),
			StatusDescription: "Bad Request", TraceID: rd.TraceID(),
			ValidationErrors: []altinn.ValidationError{{Code: string(r.Code), Title: r.Title, Paths: []string{r.Path}}}})
	case formModel:
		rd.model(w, r.errs)
	case formStatus:
		section := map[int]string{400: "15.5.1", 401: "15.5.2", 404: "15.5.5", 410: "15.5.11"}[r.Status]
		writeBody(w, r.Status, altinn.ProblemBody{Type: "https://tools.ietf.org/html/rfc9110#section-" + section,
			Title: http.StatusText(r.Status), Status: r.Status, Detail: r.Text, TraceID: rd.TraceID()})
	case formUnhandled:
		b := withErrors(rd.TraceID(), nil)
		b.Type = "https://tools.ietf.org/html/rfc9110#section-15.6.1"
		b.Title = "An error occurred while processing your request."
		b.Status = http.StatusInternalServerError
		writeBody(w, http.StatusInternalServerError, b)
	}
}

func (rd Renderer) problem(w http.ResponseWriter, r *Refusal) {
	body := altinn.ProblemBody{Status: r.Status, Code: string(r.Code), TraceID: rd.TraceID(), Extensions: r.Ext}
	if rd.V4 {
		body.Type = "https://tools.ietf.org/html/rfc9110#section-15.5"
		body.Title = http.StatusText(r.Status)
		body.Detail = r.Title
	} else {
		body.Type = "urn:altinn:error:" + string(r.Code)
		body.Title = r.Title
		body.StatusDescription = http.StatusText(r.Status)
	}
	writeBody(w, r.Status, body)
}

func (rd Renderer) validation(w http.ResponseWriter, vs []altinn.Violation) {
	body := altinn.ProblemBody{Status: 400, Code: string(altinn.CodeStdValidation), TraceID: rd.TraceID()}
	if rd.V4 {
		body.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1"
		body.Title = "Bad Request"
	} else {
		body.Type = "urn:altinn:error:STD-00000"
		body.Title = "One or more validation errors occurred."
		body.StatusDescription = "Bad Request"
	}
	for _, v := range vs {
		p := altinn.MustProblem(v.Code)
		ve := altinn.ValidationError{Code: string(v.Code), Paths: []string{p.Path}, Extensions: v.Extensions}
		if rd.V4 {
			ve.Detail = p.Title
		} else {
			ve.Title = p.Title
		}
		body.ValidationErrors = append(body.ValidationErrors, ve)
	}
	writeBody(w, 400, body)
}

func (rd Renderer) model(w http.ResponseWriter, errs map[string][]string) {
	for k, v := range errs {
		if len(v) == 0 {
			delete(errs, k)
		}
	}
	first := ""
	for k := range errs {
		if first == "" || k < first {
			first = k
		}
	}
	if len(errs) == 1 {
		errs = map[string][]string{first: {errs[first][0]}}
	}
	writeBody(w, http.StatusBadRequest, withErrors(rd.TraceID(), errs))
}

func withErrors(traceID string, errs map[string][]string) altinn.ProblemBody {
	return altinn.ProblemBody{Type: "https://tools.ietf.org/html/rfc9110#section-15.5.1", Title: "One or more validation errors occurred.",
		Status: http.StatusBadRequest, TraceID: traceID, Errors: errs}
}

func writeBody(w http.ResponseWriter, status int, body altinn.ProblemBody) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
