package i18n

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestErrorsSpeakThePrintersLanguage: a catalogue error is English in Error() (logs, --json)
// and the printer's language through Printer.Error, also nested in another catalogue error
// or wrapped by fmt.Errorf; an error from outside the catalogue keeps its text.
func TestErrorsSpeakThePrintersLanguage(t *testing.T) {
	nb := MustNew(NB)
	alg := Errorf("config.alg", "Alg", "HS256")
	nested := Wrap(alg, "config.profile", "Name", "x")
	if got, want := nested.Error(), `profile "x": alg "HS256": Maskinporten accepts only RS256, RS384 or RS512`; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if got, want := nb.Error(nested), "profilen «x»: alg «HS256»: Maskinporten godtar bare RS256, RS384 eller RS512"; got != want {
		t.Errorf("bokmål: %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("load: %w", nested)
	if got := nb.Error(wrapped); got != "load: "+nb.Error(nested) {
		t.Errorf("wrapped by fmt.Errorf: %q", got)
	}
	if !errors.Is(wrapped, alg) {
		t.Error("the chain is lost")
	}
	_, statErr := os.Stat("/no/such/file")
	if got := nb.Error(Wrap(statErr, "config.read_key")); !strings.HasPrefix(got, "les nøkkel: ") || !strings.HasSuffix(got, statErr.Error()) {
		t.Errorf("a system error inside: %q", got)
	}
	if nb.Error(statErr) != statErr.Error() || nb.Error(nil) != "" {
		t.Error("an error from outside the catalogue changed")
	}
}
