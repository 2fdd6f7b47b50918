package i18n

import (
	"errors"
	"strings"
)

// Error is an error whose text is a catalogue message, so that packages below the user's
// language (config, domain) can still say what went wrong in it: Error() is the English
// text, as logs and --json want it, and Printer.Error renders it in the printer's language.
// A wrapped error is the message's {{.Err}}.
type Error struct {
	ID    string
	Pairs []any
	Err   error
}

// Errorf is the error for message id with its template data (key, value pairs).
func Errorf(id string, pairs ...any) *Error { return &Error{ID: id, Pairs: pairs} }

// Wrap is the error for message id around err, which the message shows as {{.Err}}.
func Wrap(err error, id string, pairs ...any) *Error { return &Error{ID: id, Pairs: pairs, Err: err} }

func (e *Error) Error() string { return e.in(English()) }

func (e *Error) Unwrap() error { return e.Err }

// In is the error's text in p's language.
func (e *Error) In(p *Printer) string { return e.in(p) }

// Translatable is an error (or text) that can say itself in a printer's language: Error and
// the errors of packages that build their sentences from catalogue messages.
type Translatable interface {
	error
	In(p *Printer) string
}

func (e *Error) in(p *Printer) string {
	pairs := e.Pairs
	if e.Err != nil {
		pairs = append(append([]any{}, pairs...), "Err", p.Error(e.Err))
	}
	return p.T(e.ID, pairs...)
}

// Error is err's text in p's language: a Translatable is rendered in it, also when
// another error wraps it (its English text inside the wrapper's is replaced); any other
// error keeps its own text.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	var e Translatable
	if errors.As(err, &e) {
		if err == error(e) {
			return e.In(p)
		}
		if p.lang != EN {
			return strings.Replace(err.Error(), e.Error(), e.In(p), 1)
		}
	}
	return err.Error()
}
