package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// caller is what a bearer token issued by the sandbox's Maskinporten says about the caller.
type caller struct {
	OrgNo                string
	ClientID             string
	Scopes               []string
	AuthorizationDetails []mp.SystemUserToken
}

func (c *caller) hasScope(s string) bool { return contains(c.Scopes, s) }

// authenticate checks a bearer token the way the emulated APIs do: signed by one of the
// sandbox's signing keys, issued by this sandbox, not expired (10 s leeway), with a consumer.
// It returns nil when the token is missing or invalid; the caller answers 401.
func (s *Sandbox) authenticate(r *http.Request) *caller {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil
	}
	token = strings.TrimSpace(token)
	msg, err := jws.Parse([]byte(token))
	if err != nil || len(msg.Signatures()) != 1 {
		return nil
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	if !mp.AllowedAlg(hdr.Algorithm().String()) {
		return nil
	}
	var key any
	_ = s.store.view(func(st *State) error {
		for _, sk := range st.SigningKeys {
			if sk.Kid == hdr.KeyID() {
				if k, err := s.signingKey(sk); err == nil {
					key = &k.PublicKey
				}
			}
		}
		return nil
	})
	if key == nil {
		return nil
	}
	if _, err := jws.Verify([]byte(token), jws.WithKey(jwa.SignatureAlgorithm(hdr.Algorithm().String()), key)); err != nil {
		return nil
	}
	var claims struct {
		Iss                  string               `json:"iss"`
		Exp                  int64                `json:"exp"`
		Scope                string               `json:"scope"`
		ClientID             string               `json:"client_id"`
		Consumer             *mp.OrgID            `json:"consumer"`
		AuthorizationDetails []mp.SystemUserToken `json:"authorization_details"`
	}
	if err := json.Unmarshal(msg.Payload(), &claims); err != nil {
		return nil
	}
	if claims.Iss != issuerOf(r) || time.Unix(claims.Exp, 0).Add(10*time.Second).Before(s.opts.Now()) {
		return nil
	}
	if claims.Consumer == nil || claims.Consumer.OrgNo() == "" {
		return nil
	}
	return &caller{
		OrgNo:                claims.Consumer.OrgNo(),
		ClientID:             claims.ClientID,
		Scopes:               strings.Fields(claims.Scope),
		AuthorizationDetails: claims.AuthorizationDetails,
	}
}
