// Package explain answers "what does this error mean?" from the same catalogues the clients
// use (internal/domain/mp for Maskinporten, internal/domain/altinn for Altinn): by code, by
// key for Maskinporten's uncoded errors, or from a pasted error body. It does no I/O.
package explain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Source names the service an entry belongs to.
const (
	SourceMaskinporten = "Maskinporten"
	SourceAltinn       = "Altinn"
	SourceSelfService  = "Digdir self-service API"
	SourceSkatteetaten = "Skatteetaten"
	// SourceApprovalPage is Altinn's approval page: its errors are shown to the customer, who
	// reads out the text (Status is 0: no HTTP answer reaches the vendor).
	SourceApprovalPage = "Altinn approval page"
)

// Entry is one catalogue error explained.
type Entry struct {
	Code   string   `json:"code,omitempty"` // MP-…, AUTH-…, AUTH.VLD-…; empty for an uncoded Maskinporten error
	Key    string   `json:"key,omitempty"`  // the Maskinporten catalogue key (also for coded entries)
	Source string   `json:"source"`
	Status int      `json:"status"`
	Error  string   `json:"error,omitempty"`   // the OAuth error (Maskinporten)
	Text   string   `json:"text"`              // what the server says (the approval page: in bokmål)
	TextEN string   `json:"text_en,omitempty"` // the approval page's English text
	Path   string   `json:"path,omitempty"`    // validation path (AUTH.VLD)
	Means  string   `json:"meaning"`
	Fixes  []string `json:"fixes"`
}

// Name is the code, or the key of an uncoded error.
func (e Entry) Name() string {
	if e.Code != "" {
		return e.Code
	}
	return e.Key
}

func fromMP(p mp.Problem) Entry {
	return Entry{Code: p.Code, Key: string(p.Key), Source: SourceMaskinporten, Status: p.Status, Error: p.OAuthError,
		Text: p.Description, Means: p.Meaning, Fixes: append([]string(nil), p.Fixes...)}
}

func fromAltinn(p altinn.Problem) Entry {
	return Entry{Code: string(p.Code), Source: SourceAltinn, Status: p.Status, Text: p.Title, Path: p.Path,
		Means: p.Meaning, Fixes: []string{p.Fix}}
}

func fromPage(p altinn.PageProblem) Entry {
	return Entry{Code: p.Code, Source: SourceApprovalPage, Text: p.TextNB, TextEN: p.TextEN, Means: p.Meaning,
		Fixes: append([]string(nil), p.Fixes...)}
}

func fromSelfService(p mp.SelfServiceProblem) Entry {
	return Entry{Code: string(p.Code), Source: SourceSelfService, Status: p.Status, Error: string(p.Code),
		Text: p.Text, Means: p.Meaning, Fixes: append([]string(nil), p.Fixes...)}
}

func fromSKE(p ske.Problem) Entry {
	return Entry{Code: p.Code, Source: SourceSkatteetaten, Status: p.Status, Text: p.Text, Means: p.Meaning,
		Fixes: append([]string(nil), p.Fixes...)}
}

// All lists every catalogue entry: Maskinporten's first, then Digdir's self-service API's,
// then Altinn's and its approval page's, then Skatteetaten's, in catalogue order.
func All() []Entry {
	var out []Entry
	for _, p := range mp.Problems() {
		out = append(out, fromMP(p))
	}
	for _, p := range mp.SelfServiceProblems() {
		out = append(out, fromSelfService(p))
	}
	for _, p := range altinn.Problems() {
		out = append(out, fromAltinn(p))
	}
	for _, p := range altinn.PageProblems() {
		out = append(out, fromPage(p))
	}
	for _, p := range ske.Problems() {
		out = append(out, fromSKE(p))
	}
	return out
}

// Lookup finds an entry by code (case-insensitive, "mp-303", "AUTH.VLD-18" is not guessed) or
// by the key of an uncoded Maskinporten error ("kid-required") or its OAuth error
// ("unsupported_grant_type"), or by a text the customer read on Altinn's approval page.
func Lookup(q string) (Entry, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return Entry{}, ErrNoCode
	}
	if p, ok := ske.ProblemFor(q); ok {
		return fromSKE(p), nil
	}
	for _, e := range All() {
		if strings.EqualFold(e.Code, q) || (e.Code == "" && (strings.EqualFold(e.Key, q) || strings.EqualFold(e.Error, q))) || strings.EqualFold(e.Key, q) {
			return e, nil
		}
	}
	if p, ok := altinn.PageProblemFor(q); ok {
		return fromPage(p), nil
	}
	return Entry{}, &NotFoundError{Query: termsafe.Truncate(termsafe.Line(q), 80)}
}

// ErrNoCode is Lookup's answer to an empty query.
var ErrNoCode = errors.New("give a code such as MP-303, AUTH-00011 or AUTH.VLD-00018 (or --list)")

// NotFoundError is Lookup's answer for a query the catalogue does not have; its Error is
// English, MessageIn says it in a printer's language.
type NotFoundError struct{ Query string } // Query is made safe for a terminal and cut to 80 characters

func (e *NotFoundError) Error() string { return e.MessageIn(i18n.English()) }

// MessageIn says the error in p's language.
func (e *NotFoundError) MessageIn(p *i18n.Printer) string {
	return p.T("explain.not_found", "Query", fmt.Sprintf("%q", e.Query))
}

// Body is a pasted error response, explained.
type Body struct {
	Kind    string  `json:"kind"` // "maskinporten", "selfservice", "skatteetaten", "altinn-problem", "altinn-validation"
	Status  int     `json:"status,omitempty"`
	Text    string  `json:"text,omitempty"` // the server's description or title
	TraceID string  `json:"trace_id,omitempty"`
	Entries []Entry `json:"entries"`
	// Hints name each scope an MP-200/MP-250 refused and who grants it.
	Hints []string `json:"hints,omitempty"`
	// Unknown lists codes found in the body that the catalogue does not have.
	Unknown []string `json:"unknown,omitempty"`
	// Fields are ASP.NET model-binding errors, field → messages.
	Fields map[string][]string `json:"fields,omitempty"`
}

// MaxBody caps a pasted body.
const MaxBody = 256 << 10

// TraceID finds "(trace_id: X)" or "(correlation id: X)" in a Maskinporten description.
func TraceID(desc string) string { return mp.TraceID(desc) }

// The reasons ParseBody refuses a body: stable keys for a display in the user's language.
const (
	BodyTooLarge        = "too_large"
	BodyNotJSONObject   = "not_object"
	BodyInvalidJSON     = "invalid_json"
	BodyMalformedMP     = "malformed_mp"
	BodyNoKode          = "no_kode"
	BodyMalformedAltinn = "malformed_altinn"
	BodyUnknownShape    = "unknown_shape"
)

// BodyError is a body ParseBody cannot explain: its Rule, the body's Size (too_large) and
// the JSON decoder's Detail. Its text is English (--json uses it).
type BodyError struct {
	Rule   string
	Size   int
	Detail string
}

func (e *BodyError) Error() string {
	switch e.Rule {
	case BodyTooLarge:
		return fmt.Sprintf("the body is %d bytes; an error body is at most %d", e.Size, MaxBody)
	case BodyNotJSONObject:
		return "not an error body: paste the JSON object the server answered with (it starts with '{')"
	case BodyInvalidJSON:
		return "the body is not valid JSON: " + e.Detail
	case BodyMalformedMP:
		return "the Maskinporten error body is malformed: " + e.Detail
	case BodyNoKode:
		return "the Skatteetaten error body has no kode"
	case BodyMalformedAltinn:
		return "the Altinn problem body is malformed: " + e.Detail
	}
	return "not an error body: expected a Maskinporten error (error, error_description), an Altinn problem (code, title, validationErrors) or a Skatteetaten error (kode, melding, korrelasjonsid)"
}

// ParseBody explains an error body: a Maskinporten error JSON ({error, error_description,
// error_uri}), an Altinn problem+json ({code, title, traceId, …}) or a validation problem
// ({validationErrors: [{code, …}]} or ASP.NET's {errors: {field: [...]}}).
func ParseBody(data []byte) (*Body, error) {
	if len(data) > MaxBody {
		return nil, &BodyError{Rule: BodyTooLarge, Size: len(data)}
	}
	data = bytes.TrimSpace(data)
	if !bytes.HasPrefix(data, []byte("{")) {
		return nil, &BodyError{Rule: BodyNotJSONObject}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, &BodyError{Rule: BodyInvalidJSON, Detail: err.Error()}
	}
	parse := parseAltinn
	if _, ok := probe["kode"]; ok {
		parse = parseSKE
	} else if _, isStr := asString(probe["error"]); isStr {
		parse = parseMP
	}
	b, err := parse(data)
	if b != nil && b.Entries == nil {
		b.Entries = []Entry{} // [] in JSON, not null, for a body with no code the catalogue has
	}
	return b, err
}

func asString(raw json.RawMessage) (string, bool) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err == nil
}

func parseMP(data []byte) (*Body, error) {
	var eb mp.ErrorBody
	if err := json.Unmarshal(data, &eb); err != nil {
		return nil, &BodyError{Rule: BodyMalformedMP, Detail: err.Error()}
	}
	b := &Body{Kind: "maskinporten", Text: termsafe.Truncate(termsafe.Line(eb.ErrorDescription), 500)}
	b.TraceID = TraceID(eb.ErrorDescription)
	if p, ok := mp.Classify(eb); ok {
		e := fromMP(p)
		b.Entries = append(b.Entries, e)
		b.Status = e.Status
		for _, h := range mp.ScopeHints(p, eb.ErrorDescription) {
			b.Hints = append(b.Hints, termsafe.Truncate(termsafe.Line(h), 600))
		}
	} else if p, ok := mp.SelfServiceProblemFor(eb.Error, 0); ok {
		b.Kind = "selfservice"
		b.Entries = append(b.Entries, fromSelfService(p))
		b.Status = p.Status
	} else {
		b.Unknown = append(b.Unknown, termsafe.Line(eb.Error))
	}
	return b, nil
}

// parseSKE explains Skatteetaten's {kode, melding, korrelasjonsid}.
func parseSKE(data []byte) (*Body, error) {
	eb, ok := ske.ParseBody(data)
	if !ok {
		return nil, &BodyError{Rule: BodyNoKode}
	}
	b := &Body{Kind: "skatteetaten", Text: termsafe.Truncate(termsafe.Line(eb.Melding), 500),
		TraceID: termsafe.Truncate(termsafe.Line(eb.Korrelasjonsid), 80)}
	if p, ok := ske.ProblemFor(eb.Kode); ok {
		b.Entries = append(b.Entries, fromSKE(p))
		b.Status = p.Status
	} else {
		b.Unknown = append(b.Unknown, termsafe.Truncate(termsafe.Line(eb.Kode), 40))
	}
	return b, nil
}

func parseAltinn(data []byte) (*Body, error) {
	var p altinn.ProblemBody
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, &BodyError{Rule: BodyMalformedAltinn, Detail: err.Error()}
	}
	b := &Body{Kind: "altinn-problem", Status: p.Status, TraceID: termsafe.Line(p.TraceID)}
	b.Text = p.Detail
	if p.Title != "" && (b.Text == "" || p.StatusDescription != "") {
		b.Text = p.Title
	}
	b.Text = termsafe.Truncate(termsafe.Line(b.Text), 500)
	add := func(code string) {
		code = termsafe.Line(code)
		if code == "" {
			return
		}
		if a, ok := altinn.ProblemFor(code); ok {
			b.Entries = append(b.Entries, fromAltinn(a))
		} else {
			b.Unknown = append(b.Unknown, code)
		}
	}
	if len(p.ValidationErrors) > 0 {
		b.Kind = "altinn-validation"
		for _, v := range p.ValidationErrors {
			add(v.Code)
		}
	} else {
		add(p.Code)
	}
	if len(p.Errors) > 0 {
		b.Kind = "altinn-validation"
		b.Fields = map[string][]string{}
		for k, v := range p.Errors {
			var msgs []string
			for _, m := range v {
				msgs = append(msgs, termsafe.Truncate(termsafe.Line(m), 300))
			}
			b.Fields[termsafe.Line(k)] = msgs
		}
	}
	if len(b.Entries) == 0 && len(b.Unknown) == 0 && len(b.Fields) == 0 && p.Title == "" && p.Detail == "" {
		return nil, &BodyError{Rule: BodyUnknownShape}
	}
	return b, nil
}

// FieldNames returns the model-binding fields in order.
func (b *Body) FieldNames() []string {
	return slices.Sorted(maps.Keys(b.Fields))
}

// Format writes an entry as text in English: the code line, the server's text, the meaning and
// the fixes. FormatIn writes it in a printer's language.
func Format(e Entry) string { return FormatIn(i18n.English(), e) }

// FormatIn writes an entry as text in p's language: its meaning and fixes localized (see
// Localize), the labels from the catalogue; the server's text as the server said it.
func FormatIn(p *i18n.Printer, e Entry) string {
	e = Localize(e, p)
	var sb strings.Builder
	src := SourceName(p, e.Source)
	if e.Source == SourceApprovalPage {
		sb.WriteString(p.T("explain.format.head_page", "Name", e.Name(), "Source", src) + "\n")
		sb.WriteString(p.T("explain.format.page_says", "Text", e.Text) + "\n")
		sb.WriteString(p.T("explain.format.page_says_en", "Text", e.TextEN) + "\n")
		writeMeaning(p, &sb, e)
		return sb.String()
	}
	if e.Error != "" {
		sb.WriteString(p.T("explain.format.head_error", "Name", e.Name(), "Source", src, "Status", e.Status, "Error", e.Error) + "\n")
	} else {
		sb.WriteString(p.T("explain.format.head", "Name", e.Name(), "Source", src, "Status", e.Status) + "\n")
	}
	sb.WriteString(p.T("explain.format.server_says", "Text", e.Text) + "\n")
	if e.Path != "" {
		sb.WriteString(p.T("explain.format.path", "Path", e.Path) + "\n")
	}
	writeMeaning(p, &sb, e)
	return sb.String()
}

func writeMeaning(p *i18n.Printer, sb *strings.Builder, e Entry) {
	sb.WriteString(p.T("explain.format.meaning", "Text", e.Means) + "\n")
	if len(e.Fixes) == 1 {
		sb.WriteString(p.T("explain.format.next", "Text", e.Fixes[0]) + "\n")
	} else {
		sb.WriteString(p.T("explain.format.causes") + "\n")
		for i, f := range e.Fixes {
			fmt.Fprintf(sb, "    %d. %s\n", i+1, f)
		}
	}
}

// FormatBody writes an explained body as text in English; FormatBodyIn in a printer's language.
func FormatBody(b *Body) string { return FormatBodyIn(i18n.English(), b) }

// FormatBodyIn writes an explained body as text in p's language (the server's text, the
// scope hints and the field messages as they are).
func FormatBodyIn(p *i18n.Printer, b *Body) string {
	var sb strings.Builder
	sb.WriteString(p.T("explain.body.kind." + b.Kind))
	if b.Status != 0 {
		sb.WriteString(p.T("explain.body.status", "Status", b.Status))
	}
	if b.Text != "" {
		fmt.Fprintf(&sb, ": %s", b.Text)
	}
	sb.WriteString("\n")
	if b.TraceID != "" {
		label := p.T("explain.body.trace_id")
		if b.Kind == "skatteetaten" {
			label = p.T("explain.body.korrelasjonsid")
		}
		fmt.Fprintf(&sb, "%s: %s\n", label, b.TraceID)
	}
	for _, h := range b.Hints {
		sb.WriteString(p.T("explain.body.likely", "Text", h) + "\n")
	}
	for _, e := range b.Entries {
		sb.WriteString("\n")
		sb.WriteString(FormatIn(p, e))
	}
	for _, c := range b.Unknown {
		sb.WriteString("\n" + p.T("explain.body.unknown", "Code", c) + "\n")
	}
	if len(b.Fields) > 0 {
		sb.WriteString("\n" + p.T("explain.body.fields") + "\n")
		for _, k := range b.FieldNames() {
			fmt.Fprintf(&sb, "  %s: %s\n", k, strings.Join(b.Fields[k], "; "))
		}
	}
	return sb.String()
}
