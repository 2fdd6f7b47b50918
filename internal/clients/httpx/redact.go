package httpx

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// SignatureRemoved replaces a JWT's signature in the record: header and claims stay readable,
// the token can no longer be used.
const SignatureRemoved = "SIGNATURE-REMOVED"

// Redacted replaces a secret value in the record.
const Redacted = "[REDACTED]"

// secretHeaders lose their whole value; Authorization keeps its scheme and a token's claims.
var secretHeaders = []string{"Cookie", "Set-Cookie", "Proxy-Authorization", "X-Api-Key", "Ocp-Apim-Subscription-Key"}

// RedactHeaders returns a copy of h fit for a record.
func RedactHeaders(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	for _, k := range secretHeaders {
		if _, ok := out[k]; ok {
			out[k] = []string{Redacted}
		}
	}
	if vs, ok := out["Authorization"]; ok {
		for i, v := range vs {
			scheme, cred, found := strings.Cut(v, " ")
			switch {
			case found && strings.EqualFold(scheme, "bearer") && looksLikeJWT(strings.TrimSpace(cred)):
				vs[i] = scheme + " " + stripSignature(strings.TrimSpace(cred))
			case found:
				vs[i] = scheme + " " + Redacted
			default:
				vs[i] = Redacted
			}
		}
	}
	return out
}

// RedactBody returns body fit for a record, capped at MaxRecordedBody, and whether it was cut.
func RedactBody(contentType string, body []byte) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	trunc := len(body) > MaxRecordedBody
	if trunc {
		body = body[:MaxRecordedBody]
	}
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "json") && !trunc:
		if s, ok := redactJSON(body); ok {
			return s, false
		}
	case strings.Contains(ct, "x-www-form-urlencoded"):
		if vals, err := url.ParseQuery(string(body)); err == nil {
			for k, vs := range vals {
				for i := range vs {
					if secretKey(k) {
						vs[i] = Redacted
					}
				}
			}
			return RedactText(vals.Encode()), trunc
		}
	}
	return RedactText(string(body)), trunc
}

// secretKey is a field name whose value is a secret outright.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"password", "secret", "private", "passphrase", "pkcs12"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// privateJWKMembers are the members of a private RSA or EC JWK.
var privateJWKMembers = map[string]bool{"d": true, "p": true, "q": true, "dp": true, "dq": true, "qi": true, "oth": true, "k": true}

func redactJSON(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	v = redactValue(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", false
	}
	return strings.TrimSuffix(buf.String(), "\n"), true
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		_, isJWK := t["kty"]
		for k, val := range t {
			switch {
			case isJWK && privateJWKMembers[k]:
				t[k] = Redacted
			case secretKey(k):
				t[k] = Redacted
			default:
				t[k] = redactValue(val)
			}
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	case string:
		return RedactText(t)
	default:
		return v
	}
}

// RedactText removes JWT signatures and PEM private keys from free text.
func RedactText(s string) string {
	s = redactPEM(s)
	if !strings.Contains(s, "eyJ") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "eyJ")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		n := jwtLen(s)
		if n == 0 {
			b.WriteString("eyJ")
			s = s[3:]
			continue
		}
		b.WriteString(stripSignature(s[:n]))
		s = s[n:]
	}
}

func isB64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// jwtLen is the length of a compact JWS (three base64url parts) at the start of s, or 0.
func jwtLen(s string) int {
	parts, i, start := 0, 0, 0
	for {
		for i < len(s) && isB64URL(s[i]) {
			i++
		}
		parts++
		if i == start && parts < 3 {
			return 0
		}
		if parts == 3 || i >= len(s) || s[i] != '.' {
			break
		}
		i++
		start = i
	}
	if parts < 3 {
		return 0
	}
	return i
}

func looksLikeJWT(s string) bool { return strings.HasPrefix(s, "eyJ") && jwtLen(s) == len(s) }

// stripSignature keeps a JWT's header and claims and drops its signature.
func stripSignature(tok string) string {
	i := strings.LastIndexByte(tok, '.')
	if i < 0 {
		return Redacted
	}
	return tok[:i+1] + SignatureRemoved
}

func redactPEM(s string) string {
	for {
		i := strings.Index(s, "-----BEGIN ")
		if i < 0 {
			return s
		}
		head := s[i:]
		j := strings.Index(head[len("-----BEGIN "):], "-----")
		if j < 0 {
			return s
		}
		label := head[len("-----BEGIN ") : len("-----BEGIN ")+j]
		if !strings.Contains(label, "PRIVATE KEY") && !strings.Contains(label, "PKCS12") {
			// Certificates and public keys stay; look past this block.
			rest := redactPEM(head[len("-----BEGIN ")+j+5:])
			return s[:i] + head[:len("-----BEGIN ")+j+5] + rest
		}
		end := "-----END " + label + "-----"
		k := strings.Index(head, end)
		if k < 0 {
			return s[:i] + "[" + label + " REDACTED]"
		}
		s = s[:i] + "[" + label + " REDACTED]" + head[k+len(end):]
	}
}
