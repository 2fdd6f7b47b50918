// Package steps is the onboarding's step logic, free of any UI: the TUI and the headless
// commands run the same functions and render their results differently.
package steps

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/i18n"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/config"
)

// Session is one vendor identity in one environment, with its clients.
type Session struct {
	Env         config.Environment
	ProfileName string
	Profile     *config.Profile
	File        *config.File
	HTTP        *http.Client
	Now         func() time.Time
	Log         *slog.Logger
	// Password prompts for a PKCS#12 password; nil means no prompting is possible.
	Password config.PasswordFunc
	// Warnings are configuration problems found while setting up (shown once by the caller).
	Warnings []string
	// Text is the catalogue in the user's language for the texts steps write (check details,
	// advice, rule violations); English unless the caller sets it. --json output uses English (cli.App).
	Text *i18n.Printer

	MP     *maskinporten.Client
	Tokens *maskinporten.Cache

	// A session is shared by commands running in other goroutines (step 6 polls while step 3
	// switches keys), so its identity never changes after NewSession or WithKey: only the
	// lazily loaded key and the Altinn state below change, each under its own lock.
	keyMu  sync.Mutex
	key    *config.Key
	altinn altinnState
}

// NewSession wires the clients for a resolved profile and environment.
func NewSession(env config.Environment, file *config.File, profileName string, p *config.Profile, httpClient *http.Client, now func() time.Time, log *slog.Logger) *Session {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Session{Env: env, File: file, ProfileName: profileName, Profile: p, HTTP: httpClient, Now: now, Log: log,
		Text: i18n.English()}
	s.MP = maskinporten.New(maskinporten.Endpoints{
		Issuer:   env.MaskinportenIssuer,
		Metadata: env.MaskinportenMetadata,
		Token:    env.MaskinportenToken,
		JWKS:     env.MaskinportenJWKS,
	}, maskinporten.WithHTTPClient(httpClient), maskinporten.WithClock(now))
	s.Tokens = maskinporten.NewCache(s.MP)
	return s
}

// T renders a catalogue message in the session's language (English without a printer).
func (s *Session) T(id string, pairs ...any) string { return s.printer().T(id, pairs...) }

// N renders a plural catalogue message in the session's language.
func (s *Session) N(id string, n int, pairs ...any) string { return s.printer().N(id, n, pairs...) }

func (s *Session) printer() *i18n.Printer {
	if s.Text == nil {
		return i18n.English() // a session built by hand, not by NewSession
	}
	return s.Text
}

// Key loads (once) the profile's key.
func (s *Session) Key() (*config.Key, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	k, err := s.File.LoadKey(s.Profile.Key, s.Password)
	if err != nil {
		return nil, err
	}
	s.key = k
	return k, nil
}

// Credentials returns the Maskinporten credentials of the profile.
func (s *Session) Credentials() (maskinporten.Credentials, error) {
	if s.Profile.ClientID == "" {
		return maskinporten.Credentials{}, fmt.Errorf("profile %q has no client_id: create a Maskinporten client (integration) in Samarbeidsportalen and set client_id", s.ProfileName)
	}
	k, err := s.Key()
	if err != nil {
		return maskinporten.Credentials{}, err
	}
	c := maskinporten.Credentials{ClientID: s.Profile.ClientID, Key: k.Private, Alg: s.Profile.Alg}
	if len(k.Chain) > 0 {
		c.Chain = k.Chain
	} else {
		c.Kid = k.Kid
	}
	return c, nil
}

// Token returns a token for req, from the session's cache when one is still valid.
func (s *Session) Token(ctx context.Context, req maskinporten.TokenRequest) (*maskinporten.Token, bool, error) {
	creds, err := s.Credentials()
	if err != nil {
		return nil, false, err
	}
	if len(req.Scopes) == 0 {
		req.Scopes = s.Profile.Scopes
	}
	if len(req.Scopes) == 0 {
		return nil, false, errors.New("no scope given: pass --scope or list scopes in the profile")
	}
	return s.Tokens.Token(ctx, creds, req)
}

// WithKey returns a session for another client and key (a generated, provisioned or
// PKCS#12 key chosen in the wizard); an empty clientID keeps the profile's. The receiver is
// left as it was, so a command still running with it (step 6's polling) keeps a consistent
// identity; the new session starts with its own token cache and Altinn state, so no token
// of the old identity is reused.
func (s *Session) WithKey(clientID string, key *config.Key) *Session {
	p := *s.Profile
	if clientID != "" {
		p.ClientID = clientID
	}
	n := &Session{Env: s.Env, ProfileName: s.ProfileName, Profile: &p, File: s.File, HTTP: s.HTTP, Now: s.Now, Log: s.Log,
		Password: s.Password, Warnings: s.Warnings, Text: s.Text, MP: s.MP, Tokens: maskinporten.NewCache(s.MP), key: key}
	// The access-package catalogue does not depend on the identity: keep it if it was read
	// (and not while it is being read: the new session reads its own then).
	if s.altinn.catMu.TryLock() {
		n.altinn.catalog = s.altinn.catalog
		s.altinn.catMu.Unlock()
	}
	return n
}

// SystemUserToken is step 7: a token for the system user owned by org (with ref when the
// request had one), from the cache unless fresh is set; and its inspection, verified against
// the environment's JWKS.
func (s *Session) SystemUserToken(ctx context.Context, org, ref, scope string, fresh bool) (*maskinporten.Token, bool, *Inspection, error) {
	req := maskinporten.TokenRequest{Scopes: []string{scope}, SystemUser: &maskinporten.SystemUser{OrgNo: org, ExternalRef: ref}}
	if fresh {
		if creds, err := s.Credentials(); err == nil {
			s.Tokens.Forget(creds, req)
		}
	}
	tok, reused, err := s.Token(ctx, req)
	if err != nil {
		return nil, false, nil, err
	}
	in, err := Inspect(ctx, tok.AccessToken, s.Now(), s)
	return tok, reused, in, err
}

// Token is an access token with its expiry (the UI shows it without importing the client).
type Token = maskinporten.Token
