package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v2/jwa"

	"github.com/sbs-tui/sbs-tui/internal/clients/accessmanagement"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/clients/selfservice"
	"github.com/sbs-tui/sbs-tui/internal/config"
)

// SelfService returns a self-service API client that authenticates with admin's token.
func SelfService(admin *Session) *selfservice.Client {
	return selfservice.New(admin.Env.SelfService, admin.HTTP, func(ctx context.Context) (string, error) {
		tok, _, err := admin.Token(ctx, maskinporten.TokenRequest{Scopes: selfservice.Scopes})
		if err != nil {
			return "", err
		}
		return tok.AccessToken, nil
	})
}

// Provisioned is a client created through the self-service API with its key registered.
type Provisioned struct {
	Client *selfservice.RegisteredClient `json:"client"`
	Keys   []selfservice.RegisteredKey   `json:"keys"`
}

// ProvisionScopes are the scopes a client made for the profile gets: the profile's, and the
// one step 8 lists an agent system user's clients with (altinn:accessmanagement/authorizedparties),
// which the profile's list does not name because no onboarding step checks it. Without it the
// new client's k in step 8 failed with MP-200.
func ProvisionScopes(profile []string) []string {
	out := slices.Clone(profile)
	if !slices.Contains(out, accessmanagement.Scope) {
		out = append(out, accessmanagement.Scope)
	}
	return out
}

// ProvisionClient is step 3 where the self-service API is available: create a Maskinporten
// client with scopes, then register key's public JWK on it.
func ProvisionClient(ctx context.Context, admin *Session, name, description string, scopes []string, key *config.Key) (*Provisioned, error) {
	api := SelfService(admin)
	c, err := api.Create(ctx, selfservice.MaskinportenClient(name, description, scopes))
	if err != nil {
		return nil, err
	}
	pub, err := key.PublicJWK(jwa.RS256)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(pub)
	if err != nil {
		return nil, err
	}
	keys, err := api.ReplaceKeys(ctx, c.ClientID, []json.RawMessage{raw})
	if err != nil {
		return nil, fmt.Errorf("client %s was created, but its key was not registered: %w", c.ClientID, err)
	}
	return &Provisioned{Client: c, Keys: keys}, nil
}
