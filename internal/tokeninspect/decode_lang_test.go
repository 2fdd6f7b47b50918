package tokeninspect

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Why an input is not a token is said in the user's language (the paste box and inspect -
// said it in English on Norwegian screens); the English is as it was.
func TestDecodeErrorsSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	nb := i18n.MustNew(i18n.NB)
	for in, c := range map[string]struct{ en, nb string }{
		"":                        {"the input is empty", "inndataene er tomme"},
		"abc":                     {"not a JWT: expected three base64url parts separated by '.', found 1 part(s)", "ikke en JWT"},
		"a.b.c.d.e":               {"encrypted JWT (JWE, five parts)", "kryptert JWT"},
		"e30.e30=.!!!":            {"the signature (third part) is not base64url", "signaturen (tredje del) er ikke base64url"},
		"W10.e30.":                {"the header is not a JSON object", "headeren er ikke et JSON-objekt"},
		"e30.eyJhIjoxLCJhIjoyfQ.": {`the payload has "a" twice`, `innholdet har "a" to ganger`},
	} {
		_, err := Decode(in)
		if err == nil {
			t.Fatalf("%q decoded", in)
		}
		if !strings.Contains(err.Error(), c.en) || !strings.Contains(nb.Error(err), c.nb) {
			t.Errorf("%q: en %q, nb %q", in, err.Error(), nb.Error(err))
		}
	}
}
