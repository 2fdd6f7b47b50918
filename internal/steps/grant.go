package steps

import (
	"context"
	"errors"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
)

// Grant signs a Maskinporten grant for req with the profile's key (the profile's scopes when
// req has none), for use with curl or Postman. Nothing is sent to the token endpoint.
func (s *Session) Grant(ctx context.Context, req maskinporten.TokenRequest) (*maskinporten.SignedGrant, error) {
	creds, err := s.Credentials()
	if err != nil {
		return nil, err
	}
	if len(req.Scopes) == 0 {
		req.Scopes = s.Profile.Scopes
	}
	if len(req.Scopes) == 0 {
		return nil, errors.New("no scope given: pass --scope or list scopes in the profile")
	}
	return s.MP.SignGrant(ctx, creds, req)
}
