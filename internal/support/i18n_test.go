package support

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// The report speaks the reader's language: headings and the catalogue's explanation in bokmål
// and nynorsk; the server's text and codes as they are.
func TestReportInBokmaalAndNynorsk(t *testing.T) {
	e := httpx.Exchange{ID: 1, Method: "POST", URL: "https://platform.tt02.altinn.no/authentication/api/v1/systemuser/request/vendor", Status: 400,
		ResponseHeaders: http.Header{"Content-Type": {"application/json"}},
		ResponseBody:    `{"code":"AUTH-00011","title":"System not found","status":400}`}
	for lang, want := range map[i18n.Lang][]string{
		i18n.NB: {"## Mislykkede utvekslinger (1)", "System-id-en er ukjent i dette miljøet", "Neste steg: Registrer systemet først", "`AUTH-00011`"},
		i18n.NN: {"## Mislukka utvekslingar (1)", "System-id-en er ukjend i dette miljøet", "Neste steg: Registrer systemet først", "`AUTH-00011`"},
	} {
		var sb strings.Builder
		if err := WriteReportIn(&sb, i18n.MustNew(lang), &Facts{}, []httpx.Exchange{e}, time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(sb.String(), w) {
				t.Errorf("%s report lacks %q:\n%s", lang, w, sb.String())
			}
		}
	}
	if o := Describe(e); !strings.Contains(o.Explanation, "The system id is unknown in this environment") {
		t.Errorf("Describe in English: %q", o.Explanation)
	}
}
