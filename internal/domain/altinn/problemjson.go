package altinn

import "encoding/json"

// Problem JSON carries extension members as flat top-level keys next to the standard ones;
// these methods move them in and out of the Extensions maps.

var problemKeys = map[string]bool{"type": true, "title": true, "status": true, "detail": true, "code": true,
	"statusDescription": true, "traceId": true, "validationErrors": true, "errors": true, "instance": true}

var validationKeys = map[string]bool{"code": true, "title": true, "detail": true, "paths": true}

type problemAlias ProblemBody
type validationAlias ValidationError

// MarshalJSON writes the extensions as top-level members.
func (p ProblemBody) MarshalJSON() ([]byte, error) {
	return mergeExtensions(problemAlias(p), p.Extensions)
}

// UnmarshalJSON collects unknown string members into Extensions.
func (p *ProblemBody) UnmarshalJSON(b []byte) error {
	var a problemAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	*p = ProblemBody(a)
	p.Extensions = extractExtensions(b, problemKeys)
	return nil
}

// MarshalJSON writes the extensions as top-level members.
func (v ValidationError) MarshalJSON() ([]byte, error) {
	return mergeExtensions(validationAlias(v), v.Extensions)
}

// UnmarshalJSON collects unknown string members into Extensions.
func (v *ValidationError) UnmarshalJSON(b []byte) error {
	var a validationAlias
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	*v = ValidationError(a)
	v.Extensions = extractExtensions(b, validationKeys)
	return nil
}

func mergeExtensions(v any, ext map[string]string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(ext) == 0 {
		return b, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, val := range ext {
		if _, taken := m[k]; !taken {
			m[k] = val
		}
	}
	return json.Marshal(m)
}

func extractExtensions(b []byte, known map[string]bool) map[string]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	var ext map[string]string
	for k, raw := range m {
		if known[k] {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			s = string(raw)
		}
		if ext == nil {
			ext = map[string]string{}
		}
		ext[k] = s
	}
	return ext
}
