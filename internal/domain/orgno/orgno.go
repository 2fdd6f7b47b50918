// Package orgno validates Norwegian organisation numbers (organisasjonsnummer) as
// Enhetsregisteret issues them: nine digits, the last a MOD11 check digit.
package orgno

import (
	"fmt"
	"strings"
)

// weights are Brønnøysund's MOD11 weights for the first eight digits.
var weights = [8]int{3, 2, 7, 6, 5, 4, 3, 2}

// Normalize removes the spaces and the "0192:" (ISO 6523 ICD for Enhetsregisteret) prefix
// people paste along with a number, so that "0192:974 761 076" becomes "974761076".
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "0192:")
	return strings.Join(strings.Fields(s), "")
}

// The rules Validate checks, stable keys for a caller that says them in the user's language.
const (
	RuleLength     = "length"      // not 9 characters
	RuleDigits     = "digits"      // not only digits
	RuleCheckDigit = "check_digit" // the MOD11 check digit is wrong
)

// Error is an organisation number that breaks Rule; its text is English (the sandbox and
// --json use it), a display says it in the user's language by Rule.
type Error struct {
	Rule  string
	Value string
}

func (e *Error) Error() string {
	switch e.Rule {
	case RuleLength:
		return fmt.Sprintf("organisation number %q must be exactly 9 digits, it has %d characters", e.Value, len(e.Value))
	case RuleDigits:
		return fmt.Sprintf("organisation number %q must contain digits only", e.Value)
	}
	return fmt.Sprintf("organisation number %q fails the MOD11 check digit (a typo?)", e.Value)
}

// Validate reports why s is not a valid organisation number, or nil. It does not normalise.
func Validate(s string) error {
	if len(s) != 9 {
		return &Error{Rule: RuleLength, Value: s}
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return &Error{Rule: RuleDigits, Value: s}
		}
		if i < 8 {
			sum += int(c-'0') * weights[i]
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || int(s[8]-'0') != check {
		return &Error{Rule: RuleCheckDigit, Value: s}
	}
	return nil
}

// ISO6523 returns the "0192:<orgno>" actor id Maskinporten and Altinn use.
func ISO6523(orgNo string) string { return "0192:" + orgNo }
