package maskinporten

import (
	"context"
	"fmt"
)

// SignedGrant is a grant built for use outside the tool (curl, Postman), with where to post it.
type SignedGrant struct {
	Grant    string
	Audience string
	TokenURL string
}

// SignGrant builds and signs a grant for req the way RequestToken would, without sending it.
func (c *Client) SignGrant(ctx context.Context, creds Credentials, req TokenRequest) (*SignedGrant, error) {
	aud, tokenURL, err := c.audience(ctx)
	if err != nil {
		return nil, err
	}
	grant, err := BuildGrant(creds, aud, req, c.now())
	if err != nil {
		return nil, fmt.Errorf("build the grant: %w", err)
	}
	return &SignedGrant{Grant: grant, Audience: aud, TokenURL: tokenURL}, nil
}
