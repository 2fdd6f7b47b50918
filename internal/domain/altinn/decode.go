package altinn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// JSONError is a JSON problem with its position, as an editor shows it. Rule names the kind
// of problem (json_after, json_trailing_comma, json_type, json_eof, json_syntax) and Data its
// particulars (field, type, value; detail: Go's own words for a syntax error), so that a
// display can say it in the user's language (steps.ViolationMessage).
type JSONError struct {
	Line, Column int
	Message      string
	Rule         string
	Data         map[string]string
}

// Violation is the problem as the violation of field "JSON" that a system file's check lists.
func (e *JSONError) Violation() Violation {
	ext := map[string]string{"line": fmt.Sprint(e.Line), "column": fmt.Sprint(e.Column)}
	for k, v := range e.Data {
		ext[k] = v
	}
	return Violation{Field: "JSON", Rule: e.Rule, Message: e.Error(), Extensions: ext}
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, offset int64) (int, int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// DecodeStrict decodes JSON into v, reporting syntax errors with line and column (and naming
// the trailing commas people copy from the docs) and type errors with the field.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			line, col := position(data, dec.InputOffset())
			return &JSONError{Line: line, Column: col, Message: "unexpected data after the JSON value", Rule: "json_after"}
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off := syn.Offset - 1
		if off < 0 {
			off = 0
		}
		line, col := position(data, off)
		if tc := trailingComma(data, off); tc >= 0 {
			line, col = position(data, int64(tc))
			return &JSONError{Line: line, Column: col, Rule: "json_trailing_comma",
				Message: "trailing comma before a closing bracket; JSON allows none (remove this comma)"}
		}
		return &JSONError{Line: line, Column: col, Message: syn.Error(), Rule: "json_syntax", Data: map[string]string{"detail": syn.Error()}}
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		return &JSONError{Line: line, Column: col, Message: fmt.Sprintf("field %q must be %s, not %s", typ.Field, typ.Type, typ.Value),
			Rule: "json_type", Data: map[string]string{"field": strconv.Quote(typ.Field), "type": typ.Type.String(), "value": typ.Value}}
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
		line, col := position(data, int64(len(data)))
		return &JSONError{Line: line, Column: col, Message: "the JSON ends too early (a missing } or ])", Rule: "json_eof"}
	}
	return err
}

// trailingComma returns the offset of a comma that precedes the closing bracket at off, or -1.
func trailingComma(data []byte, off int64) int {
	if off < 0 || off >= int64(len(data)) || (data[off] != '}' && data[off] != ']') {
		return -1
	}
	for i := off - 1; i >= 0; i-- {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case ',':
			return int(i)
		default:
			return -1
		}
	}
	return -1
}

// UnknownFields lists the top-level members of a JSON object that v's struct does not know
// (encoding/json ignores them silently; a misspelt field then does nothing). Matching is
// case-insensitive, like the server's.
func UnknownFields(data []byte, known ...string) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	var out []string
	for k := range m {
		found := false
		for _, kn := range known {
			if strings.EqualFold(k, kn) {
				found = true
			}
		}
		if !found {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// SystemFields are the members of a system definition.
var SystemFields = []string{"id", "vendor", "name", "description", "rights", "accessPackages", "clientId", "isVisible", "allowedRedirectUrls"}
