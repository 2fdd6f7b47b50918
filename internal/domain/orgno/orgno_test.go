package orgno

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	valid := []string{"974761076", "313367002", "991825827", "923609016"}
	for _, s := range valid {
		if err := Validate(s); err != nil {
			t.Errorf("Validate(%q) = %v, want nil", s, err)
		}
	}
	invalid := map[string]string{
		"57623423":   "9 digits", // the seed page's example: eight digits
		"974761077":  "MOD11",
		"97476107a":  "digits only",
		"":           "9 digits",
		"9747610761": "9 digits",
	}
	for s, want := range invalid {
		err := Validate(s)
		if err == nil {
			t.Errorf("Validate(%q) = nil, want error about %s", s, want)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate(%q) = %q, want mention of %q", s, err, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	if got := Normalize(" 0192:974 761 076 "); got != "974761076" {
		t.Fatalf("Normalize = %q", got)
	}
}
