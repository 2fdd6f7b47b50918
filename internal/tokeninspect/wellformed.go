package tokeninspect

import "errors"

// compactJWS reports whether s is three non-empty base64url parts joined by dots.
func compactJWS(s string) bool {
	parts, n := 1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if n == 0 {
				return false
			}
			parts, n = parts+1, 0
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			n++
		default:
			return false
		}
	}
	return parts == 3 && n > 0
}

// WellFormed reports whether s is exactly a compact signed JWT: three unpadded base64url parts
// whose first two decode to JSON objects, and nothing else (no whitespace, no control bytes).
// A token that passes contains only [A-Za-z0-9_.-], so it is safe to print raw.
func WellFormed(s string) error {
	if len(s) > MaxTokenSize {
		return errors.New("the access token is larger than any Maskinporten token")
	}
	if !compactJWS(s) {
		return errors.New("the access token is not a compact JWT (three base64url parts separated by '.')")
	}
	if _, err := Decode(s); err != nil {
		return err
	}
	return nil
}
