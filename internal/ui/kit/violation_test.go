package kit

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// A violation's line is in the reader's language, the fix after the code too: the fixes of
// step 4's local checks stayed English on Norwegian screens ("→ Replace spaces with _ or -.").
func TestViolationTextSpeaksTheLanguage(t *testing.T) {
	v := altinn.ValidateSystemID("974761076 bad", "974761076")[0]
	for lang, want := range map[i18n.Lang][]string{
		i18n.EN: {`id: "974761076 bad" contains a space [AUTH.VLD-00013] → Replace spaces with _ or -.`},
		i18n.NB: {`id: "974761076 bad" inneholder et mellomrom [AUTH.VLD-00013] → Bytt ut mellomrom med _ eller -.`},
	} {
		got := ViolationText(i18n.MustNew(lang), v)
		for _, w := range want {
			if got != w {
				t.Errorf("%s: %q, want %q", lang, got, w)
			}
		}
	}
	if got := ViolationText(i18n.MustNew(i18n.NN), altinn.Violation{Field: "x", Message: "y"}); got != "x: y" {
		t.Errorf("no code: %q", got)
	}
}
