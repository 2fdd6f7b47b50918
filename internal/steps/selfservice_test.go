package steps

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/clients/selfservice"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Digdir's self-service API moved its clients to /api/v1/clients on 2025-05-22 (real-services.md
// §1 row 14): the profiles point there, the sandbox answers there, and the old /clients path
// answers 404, which the client explains as the moved base with the URL to use instead.
func TestSelfServiceAtTheCurrentBase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if !strings.HasSuffix(w.admin.Env.SelfService, "/selfservice/api/v1/clients") {
		t.Fatalf("sandbox self-service base %q", w.admin.Env.SelfService)
	}
	api := SelfService(w.admin)
	if _, err := api.List(testCtx(t)); err != nil {
		t.Fatalf("list at the current base: %v", err)
	}
	c, err := api.Get(testCtx(t), w.boot.AdminClientID)
	if err != nil {
		t.Fatal(err)
	}
	if want := w.admin.Env.SelfService + "/" + c.ClientID + "/jwks"; c.JWKSURI != want {
		t.Errorf("jwks_uri %q, want %q", c.JWKSURI, want)
	}
	legacy := sandboxlayout.Join(w.srv.URL, sandboxlayout.SelfService) + mp.SelfServiceLegacyClientsPath
	old := selfservice.New(legacy, w.srv.Client(), sessionToken(w.admin, selfservice.Scopes))
	for name, call := range map[string]func() error{
		"list": func() error { _, err := old.List(testCtx(t)); return err },
		"get":  func() error { _, err := old.Get(testCtx(t), w.boot.AdminClientID); return err },
		"create": func() error {
			_, err := old.Create(testCtx(t), selfservice.MaskinportenClient("x", "y", nil))
			return err
		},
	} {
		err := call()
		var se *selfservice.Error
		if !errors.As(err, &se) || se.Status != 404 || se.Code != string(mp.SSMovedPath) || !se.Legacy() ||
			!strings.Contains(err.Error(), "set urls.selfservice in your profile to "+w.admin.Env.SelfService) {
			t.Errorf("%s at the old base: %v", name, err)
		}
	}
}

func TestBuiltinSelfServiceBases(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]string{
		config.EnvTest: "https://api.test.samarbeid.digdir.no/api/v1/clients",
		config.EnvProd: "https://api.samarbeid.digdir.no/api/v1/clients",
	} {
		e, err := config.Builtin(env)
		if err != nil || e.SelfService != want {
			t.Errorf("%s: self-service %q (%v), want %q", env, e.SelfService, err, want)
		}
	}
}

// An organisation that has not signed Digdir's terms of use gets 428 PRECONDITION_REQUIRED on
// client creation (Wenche#49); a token without the self-service scopes gets 403. Both errors
// say what to do.
func TestSelfServiceTermsAndRights(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := w.sb.SetTermsSigned(w.boot.VendorOrg, false); err != nil {
		t.Fatal(err)
	}
	key, err := config.GenerateKey("", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = ProvisionClient(testCtx(t), w.admin, "Regnskap SBS", "Test", []string{sbworld.ScopeDialogporten}, key)
	var se *selfservice.Error
	if !errors.As(err, &se) || se.Status != 428 || se.Code != string(mp.SSPreconditionRequired) ||
		!strings.Contains(err.Error(), mp.SelfServiceTermsText) || !strings.Contains(err.Error(), "bruksvilkår") ||
		!strings.Contains(err.Error(), "Next:") {
		t.Fatalf("create with unsigned terms: %v", err)
	}
	// Reading still works: only creation needs the terms.
	if _, err := SelfService(w.admin).List(testCtx(t)); err != nil {
		t.Fatalf("list with unsigned terms: %v", err)
	}
	if err := w.sb.SetTermsSigned(w.boot.VendorOrg, true); err != nil {
		t.Fatal(err)
	}
	if _, err := ProvisionClient(testCtx(t), w.admin, "Regnskap SBS", "Test", []string{sbworld.ScopeDialogporten}, key); err != nil {
		t.Fatalf("create after signing: %v", err)
	}
	if err := w.sb.SetTermsSigned("310000000", false); err == nil {
		t.Error("terms for an organisation that is not in the sandbox were recorded")
	}

	// The vendor's own client has no idporten:dcr scopes: 403, explained with the right to get.
	_, err = selfservice.New(w.vendor.Env.SelfService, w.srv.Client(), sessionToken(w.vendor, []string{sbworld.ScopeDialogporten})).List(testCtx(t))
	if !errors.As(err, &se) || se.Status != 403 || !strings.Contains(err.Error(), "idporten:dcr.write") ||
		!strings.Contains(err.Error(), "Maskinporten administrator") {
		t.Fatalf("list without the self-service scopes: %v", err)
	}
}

func sessionToken(s *Session, scopes []string) selfservice.TokenSource {
	return func(ctx context.Context) (string, error) {
		tok, _, err := s.Token(ctx, maskinporten.TokenRequest{Scopes: scopes})
		if err != nil {
			return "", err
		}
		return tok.AccessToken, nil
	}
}
