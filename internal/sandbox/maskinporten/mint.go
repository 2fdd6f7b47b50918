package maskinporten

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// accessToken is the token body, fields in the order observed in real TEST tokens.
type accessToken struct {
	Aud                  any                  `json:"aud,omitempty"`
	Scope                string               `json:"scope"`
	Iss                  string               `json:"iss"`
	ClientAmr            string               `json:"client_amr"`
	TokenType            string               `json:"token_type"`
	Exp                  int64                `json:"exp"`
	Iat                  int64                `json:"iat"`
	ClientID             string               `json:"client_id"`
	Jti                  string               `json:"jti"`
	Consumer             mp.OrgID             `json:"consumer"`
	Supplier             *mp.OrgID            `json:"supplier,omitempty"`
	DelegationSource     string               `json:"delegation_source,omitempty"`
	Pid                  string               `json:"pid,omitempty"`
	AuthorizationDetails []mp.SystemUserToken `json:"authorization_details,omitempty"`
}

// DefaultAccessTokenLifetime is a client's access_token_lifetime when none is set.
const DefaultAccessTokenLifetime = 120 * time.Second

// tokenDraft is an access token decided under the store's read lock, to be signed outside it.
type tokenDraft struct {
	claims   accessToken
	kid      string
	key      *rsa.PrivateKey
	lifetime time.Duration
}

func (s Host) draftToken(st *world.State, client *world.MPClient, scopes []string, consumerOrg string, details []mp.SystemUserToken, g *parsedGrant) (tokenDraft, error) {
	if len(st.SigningKeys) == 0 {
		return tokenDraft{}, errors.New("no signing key")
	}
	sk := st.SigningKeys[len(st.SigningKeys)-1]
	key, err := env.Ring{Env: s.Env}.SigningKey(sk)
	if err != nil {
		return tokenDraft{}, err
	}
	lifetime := DefaultAccessTokenLifetime
	if client.AccessTokenLifetime > 0 {
		lifetime = time.Duration(client.AccessTokenLifetime) * time.Second
	}
	for _, sc := range scopes {
		if max := st.Scopes[sc].AtMaxAge; max > 0 && time.Duration(max)*time.Second < lifetime {
			lifetime = time.Duration(max) * time.Second
		}
	}
	tok := accessToken{
		Scope:                strings.Join(scopes, " "),
		ClientAmr:            "private_key_jwt",
		TokenType:            "Bearer",
		ClientID:             client.ClientID,
		Consumer:             mp.NewOrgID(client.ClientOrgNo),
		AuthorizationDetails: details,
	}
	if g.hasX5c {
		tok.ClientAmr = "virksomhetssertifikat"
	}
	if consumerOrg != "" {
		supplier := mp.NewOrgID(client.ClientOrgNo)
		tok.Consumer, tok.Supplier = mp.NewOrgID(consumerOrg), &supplier
		tok.DelegationSource = "https://tt02.altinn.no/"
	}
	return tokenDraft{claims: tok, kid: sk.Kid, key: key, lifetime: lifetime}, nil
}

// sign completes the token with the issuer, times, a fresh jti and the grant's resource and
// pid, and signs it. It needs no lock.
func (d tokenDraft) sign(r *http.Request, g *parsedGrant, now time.Time) (string, error) {
	now = now.Truncate(time.Second)
	tok := d.claims
	tok.Iss = env.IssuerOf(r)
	tok.Exp = now.Add(d.lifetime).Unix()
	tok.Iat = now.Unix()
	tok.Jti = jose.RandomB64(32)
	if raw, ok := g.claims["resource"]; ok {
		var res []string
		var one string
		if json.Unmarshal(raw, &res) == nil && len(res) > 0 {
			tok.Aud = res
			if len(res) == 1 {
				tok.Aud = res[0]
			}
		} else if json.Unmarshal(raw, &one) == nil && one != "" {
			tok.Aud = one
		}
	}
	_ = json.Unmarshal(g.claims["pid"], &tok.Pid)
	payload, err := json.Marshal(tok)
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	_ = hdr.Set(jws.KeyIDKey, d.kid)
	signed, err := jws.Sign(payload, jws.WithKey(jwa.RS256, d.key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return string(signed), nil
}

func (s Host) checkAuthorizationDetails(st *world.State, client *world.MPClient, claims map[string]json.RawMessage) ([]mp.SystemUserToken, *grantError) {
	raw, ok := claims["authorization_details"]
	if !ok {
		return nil, nil
	}
	items, ok := mp.ParseDetails(raw)
	if !ok {
		return nil, refuse(mp.KeyMalformed).with(". ", "authorization_details must be a non-empty array of objects")
	}
	var out []mp.SystemUserToken
	for _, item := range items {
		switch typ := item.Type(); typ {
		case mp.RARTypeSystemUser:
		case mp.RARTypeConsent:
			return nil, refuse(mp.KeySystemuser).with(". ", "The sandbox has no consent for the given id")
		default:
			return nil, refuse(mp.KeyRARType).with(": ", typ)
		}
		if extra := item.UnknownFields(); len(extra) > 0 {
			return nil, refuse(mp.KeyRARFields).with(": ", strings.Join(extra, ", "))
		}
	}
	if len(items) > 1 {
		return nil, refuse(mp.KeySystemuser).with(". ", "Only one system user can be requested per grant")
	}
	item := items[0]
	var org mp.OrgID
	if err := json.Unmarshal(item["systemuser_org"], &org); err != nil || org.Authority != mp.AuthorityISO6523 || orgno.Validate(org.OrgNo()) != nil {
		return nil, refuse(mp.KeySystemuser).with(". ", "systemuser_org must be {\"authority\":\"iso6523-actorid-upis\",\"ID\":\"0192:<orgno>\"}")
	}
	var ref string
	if rawRef, ok := item["externalRef"]; ok {
		if err := json.Unmarshal(rawRef, &ref); err != nil {
			return nil, refuse(mp.KeySystemuser).with(". ", "externalRef must be a string")
		}
	}
	found, ok := world.LookupSystemUsers(st, client.ClientID, client.ClientOrgNo, org.OrgNo(), ref)
	if !ok {
		return nil, refuse(mp.KeySystemuser)
	}
	out = append(out, found)
	return out, nil
}

func parseChain(x5c []string) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for _, s := range x5c {
		der, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, err
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, errors.New("empty x5c")
	}
	return chain, nil
}
