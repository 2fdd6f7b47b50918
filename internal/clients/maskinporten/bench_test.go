package maskinporten_test

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func BenchmarkBuildGrant(b *testing.B) {
	w := newWorld(b)
	req := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap}, SystemUser: &maskinporten.SystemUser{OrgNo: "313367002"}}
	now := w.clock.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := maskinporten.BuildGrant(w.creds, w.env.MaskinportenIssuer, req, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenRoundTrip is a full token request against the sandbox over loopback HTTP:
// build and sign the grant, POST it, the sandbox validates (signature, replay store) and
// mints and signs a token, the client parses the answer.
func BenchmarkTokenRoundTrip(b *testing.B) {
	w := newWorld(b)
	req := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.client.RequestToken(ctx(b), w.creds, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	w := newWorld(b)
	tok, err := w.client.RequestToken(ctx(b), w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.client.Verify(ctx(b), tok.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}
