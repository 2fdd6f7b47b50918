// Package tokeninspect decodes JWTs for display and reviews them with Maskinporten's rules in
// mind. Tokens are hostile input: sizes are capped, every failure is a sentence naming what is
// wrong, and nothing here panics.
package tokeninspect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// MaxTokenSize caps the input; real Maskinporten tokens are around 1–2 KB.
const MaxTokenSize = 64 << 10

// Field is one header parameter or claim, in the order the token has them.
type Field struct {
	Name  string
	Value any // decoded with json.Number for numbers
	Raw   json.RawMessage
}

// Decoded is a JWT split into header and claims. Nothing about it is verified.
type Decoded struct {
	Raw       string
	Header    []Field
	Claims    []Field
	Signature []byte
	// JWSError is jwx's objection to the structure, if any.
	JWSError error
}

// Clean strips what people paste along with a token: whitespace, a "Bearer " prefix, quotes.
func Clean(input string) string {
	s := strings.TrimSpace(input)
	if len(s) > 7 && strings.EqualFold(s[:6], "bearer") && (s[6] == ' ' || s[6] == '\t') {
		s = strings.TrimSpace(s[7:])
	}
	if strings.HasPrefix(s, "Authorization:") {
		return Clean(strings.TrimPrefix(s, "Authorization:"))
	}
	s = strings.Trim(s, "\"'")
	// Tokens copied from wrapped output may carry line breaks.
	return strings.Join(strings.Fields(s), "")
}

// Decode parses a compact JWS JWT.
func Decode(input string) (*Decoded, error) {
	if len(input) > MaxTokenSize {
		return nil, i18n.Errorf("token.decode.too_large", "Size", len(input), "Max", MaxTokenSize)
	}
	s := Clean(input)
	if s == "" {
		return nil, i18n.Errorf("token.decode.empty")
	}
	parts := strings.Split(s, ".")
	switch len(parts) {
	case 3:
	case 5:
		return nil, i18n.Errorf("token.decode.jwe")
	default:
		return nil, i18n.Errorf("token.decode.parts", "Count", len(parts))
	}
	d := &Decoded{Raw: s}
	var err error
	if d.Header, err = decodeObject(parts[0], "header"); err != nil {
		return nil, err
	}
	if d.Claims, err = decodeObject(parts[1], "payload"); err != nil {
		return nil, err
	}
	if d.Signature, err = b64(parts[2]); err != nil {
		return nil, i18n.Wrap(err, "token.decode.sig_base64")
	}
	// jwx is stricter about header types (x5c must be an array, …); its verdict becomes a
	// finding rather than a refusal, since a broken grant is exactly what people debug.
	if _, err := jws.Parse([]byte(s)); err != nil {
		d.JWSError = err
	}
	return d, nil
}

func b64(s string) ([]byte, error) {
	// Accept padded input too: some tools pad.
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func decodeObject(part, what string) ([]Field, error) {
	raw, err := b64(part)
	if err != nil {
		return nil, i18n.Wrap(err, "token.decode.base64", "What", what)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, i18n.Errorf("token.decode.not_object", "What", what)
	}
	var fields []Field
	seen := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, i18n.Wrap(err, "token.decode.json_err", "What", what)
		}
		name, ok := kt.(string)
		if !ok {
			return nil, i18n.Errorf("token.decode.json", "What", what)
		}
		var rawVal json.RawMessage
		if err := dec.Decode(&rawVal); err != nil {
			return nil, i18n.Wrap(err, "token.decode.claim_json", "What", what, "Name", strconv.Quote(name))
		}
		if seen[name] {
			return nil, i18n.Errorf("token.decode.twice", "What", what, "Name", strconv.Quote(name))
		}
		seen[name] = true
		var v any
		vd := json.NewDecoder(bytes.NewReader(rawVal))
		vd.UseNumber()
		_ = vd.Decode(&v)
		fields = append(fields, Field{Name: name, Value: v, Raw: rawVal})
	}
	if _, err := dec.Token(); err != nil {
		return nil, i18n.Wrap(err, "token.decode.json_err", "What", what)
	}
	if dec.More() {
		return nil, i18n.Errorf("token.decode.trailing", "What", what)
	}
	return fields, nil
}

// Get returns a claim by name.
func (d *Decoded) Get(name string) (Field, bool) { return find(d.Claims, name) }

// HeaderParam returns a header parameter by name.
func (d *Decoded) HeaderParam(name string) (Field, bool) { return find(d.Header, name) }

func find(fs []Field, name string) (Field, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// String returns a claim's string value, or "".
func (d *Decoded) String(name string) string {
	f, ok := d.Get(name)
	if !ok {
		return ""
	}
	s, _ := f.Value.(string)
	return s
}

// HeaderString returns a header parameter's string value, or "".
func (d *Decoded) HeaderString(name string) string {
	f, ok := d.HeaderParam(name)
	if !ok {
		return ""
	}
	s, _ := f.Value.(string)
	return s
}
