package tokeninspect

import (
	"errors"
	"regexp"
)

var compactJWS = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

// WellFormed reports whether s is exactly a compact signed JWT: three unpadded base64url parts
// whose first two decode to JSON objects, and nothing else (no whitespace, no control bytes).
// A token that passes contains only [A-Za-z0-9_.-], so it is safe to print raw.
func WellFormed(s string) error {
	if len(s) > MaxTokenSize {
		return errors.New("the access token is larger than any Maskinporten token")
	}
	if !compactJWS.MatchString(s) {
		return errors.New("the access token is not a compact JWT (three base64url parts separated by '.')")
	}
	if _, err := Decode(s); err != nil {
		return err
	}
	return nil
}
