package steps

import (
	"errors"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// MP-200 and MP-250 name the refused scope and the way to get it, by who grants it: the
// client's own configuration (MP-200) or the API owner's grant to the organisation (MP-250).
func TestTokenErrorsNameTheRefusedScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	token := func(scope string) error {
		_, _, err := w.vendor.Token(testCtx(t), maskinporten.TokenRequest{Scopes: []string{scope}})
		return err
	}
	var mpErr *maskinporten.Error
	err := token("skatteetaten:does-not-exist")
	if !errors.As(err, &mpErr) || mpErr.Code() != "MP-200" ||
		!strings.Contains(err.Error(), "Next: The scope skatteetaten:does-not-exist is not on this client") ||
		!strings.Contains(err.Error(), "Skatteetaten grants it per API") {
		t.Fatalf("MP-200: %v", err)
	}
	// The scope on the client, but never granted to the organisation: MP-250.
	if err := w.sb.Update(func(st *sbworld.State) error {
		c := st.Clients[w.boot.ClientID]
		c.Scopes = append(c.Scopes, sbworld.ScopeSkeRestricted)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err = token(sbworld.ScopeSkeRestricted)
	if !errors.As(err, &mpErr) || mpErr.Code() != "MP-250" ||
		!strings.Contains(err.Error(), "Next: Your organisation has not been granted "+sbworld.ScopeSkeRestricted) ||
		!strings.Contains(err.Error(), "Kom i gang") {
		t.Fatalf("MP-250: %v", err)
	}
}
