package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The Digdir self-service API (DCR-style) for Maskinporten clients and their keys.

func (s selfServiceHost) mountSelfService(mux *http.ServeMux, prefix string) {
	s.mountLegacySelfService(mux, prefix)
	clients := prefix + mp.SelfServiceClientsPath
	mux.HandleFunc("GET "+clients, s.selfService(world.ScopeDCRRead, s.listClients))
	mux.HandleFunc("POST "+clients, s.selfService(world.ScopeDCRWrite, s.createClient))
	mux.HandleFunc("GET "+clients+"/{id}", s.selfService(world.ScopeDCRRead, s.getClient))
	mux.HandleFunc("PUT "+clients+"/{id}", s.selfService(world.ScopeDCRModify, s.updateClient))
	mux.HandleFunc("DELETE "+clients+"/{id}", s.selfService(world.ScopeDCRModify, s.deleteClient))
	mux.HandleFunc("GET "+clients+"/{id}/jwks", s.selfService(world.ScopeDCRRead, s.getJWKS))
	mux.HandleFunc("POST "+clients+"/{id}/jwks", s.selfService(world.ScopeDCRModify, s.putJWKS))
	mux.HandleFunc("PUT "+clients+"/{id}/jwks", s.selfService(world.ScopeDCRModify, s.putJWKS))
	mux.HandleFunc("DELETE "+clients+"/{id}/jwks", s.selfService(world.ScopeDCRModify, s.deleteJWKS))
}

type ssHandler func(w http.ResponseWriter, r *http.Request, c *env.Caller)

func (s selfServiceHost) selfService(scope string, h ssHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := env.Ring{Env: s.Env}.Authenticate(r, false)
		if c == nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if !c.HasScope(scope) {
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="`+scope+`"`)
			env.WriteJSON(w, s.Env.Opts.Now(), http.StatusForbidden, mp.ErrorBody{Error: "insufficient_scope", ErrorDescription: "The token lacks the scope " + scope})
			return
		}
		h(w, r, c)
	}
}

func clientDTO(r *http.Request, c *world.MPClient) mp.Client {
	return mp.Client{
		ClientFields: c.ClientFields, ClientID: c.ClientID, SupplierOrgNo: c.SupplierOrgNo, Active: c.Active,
		Created: c.Created.UTC().Format(time.RFC3339), LastUpdated: c.LastUpdated.UTC().Format(time.RFC3339),
		JWKSURI: env.BaseURL(r) + sandboxlayout.SelfService + mp.SelfServiceClientsPath + "/" + c.ClientID + "/jwks",
	}
}

func (s selfServiceHost) badRequest(w http.ResponseWriter, msg string) {
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusBadRequest, mp.ErrorBody{Error: "invalid_client_metadata", ErrorDescription: msg})
}

func decodeBody(r *http.Request, w http.ResponseWriter, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the body is not valid JSON: %v", err)
	}
	return nil
}

func (s selfServiceHost) validateClientInput(st *world.State, in *mp.ClientFields, c *env.Caller) error {
	switch {
	case in.ClientName == "" || len(in.ClientName) > 255:
		return errors.New("client_name is required and at most 255 characters")
	case in.Description == "" || len(in.Description) > 255:
		return errors.New("description is required and at most 255 characters")
	case in.IntegrationType != "maskinporten":
		return fmt.Errorf("integration_type %q: this API creates maskinporten clients only", in.IntegrationType)
	case len(in.GrantTypes) != 1 || in.GrantTypes[0] != mp.GrantTypeJWTBearer:
		return fmt.Errorf("grant_types must be [%q] for maskinporten", mp.GrantTypeJWTBearer)
	}
	if in.ApplicationType == "" {
		in.ApplicationType = "web"
	}
	if in.TokenEndpointAuthMethod == "" {
		in.TokenEndpointAuthMethod = "private_key_jwt"
	}
	if in.ApplicationType != "web" || in.TokenEndpointAuthMethod != "private_key_jwt" {
		return errors.New("maskinporten clients must have application_type web and token_endpoint_auth_method private_key_jwt")
	}
	if in.ClientOrgNo != "" && in.ClientOrgNo != c.OrgNo && !c.HasScope("idporten:dcr.supplier") {
		return errors.New("client_orgno may only be set with the scope idporten:dcr.supplier")
	}
	for _, sc := range in.Scopes {
		reg := st.Scopes[sc]
		if reg == nil {
			return fmt.Errorf("scope %q does not exist", sc)
		}
		if !reg.AllowsIntegration("maskinporten") {
			return fmt.Errorf("scope %q is not available for integration_type maskinporten", sc)
		}
		if !reg.Allows(c.OrgNo) {
			return fmt.Errorf("organisation %s has not been granted access to scope %q", c.OrgNo, sc)
		}
	}
	if in.AccessTokenLifetime < 0 || in.AccessTokenLifetime > 86400 {
		return errors.New("access_token_lifetime must be between 0 and 86400 seconds")
	}
	return nil
}

func (s selfServiceHost) listClients(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	inactive := r.URL.Query().Get("inactive") == "true"
	var out []mp.Client
	_ = s.Env.Store.View(func(st *world.State) error {
		for _, cl := range st.Clients {
			if cl.ClientOrgNo == c.OrgNo && (cl.Active || inactive) {
				out = append(out, clientDTO(r, cl))
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created+out[i].ClientID < out[j].Created+out[j].ClientID })
	if out == nil {
		out = []mp.Client{}
	}
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, out)
}

func (s selfServiceHost) createClient(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	var in mp.ClientFields
	if err := decodeBody(r, w, &in); err != nil {
		s.badRequest(w, err.Error())
		return
	}
	var created *world.MPClient
	err := s.Env.Store.Update(func(st *world.State) error {
		if err := termsSigned(st, c.OrgNo, in.ClientOrgNo); err != nil {
			return err
		}
		if err := s.validateClientInput(st, &in, c); err != nil {
			return err
		}
		org := c.OrgNo
		if in.ClientOrgNo != "" {
			org = in.ClientOrgNo
		}
		created = world.NewMaskinportenClient(org, in.ClientName, in.Description, in.Scopes, s.Env.Opts.Now())
		created.AccessTokenLifetime = in.AccessTokenLifetime
		if org != c.OrgNo {
			created.SupplierOrgNo = c.OrgNo
		}
		st.Clients[created.ClientID] = created
		st.Touch(&st.Clients, created.ClientID)
		return nil
	})
	if errors.Is(err, errTermsUnsigned) {
		s.termsUnsigned(w)
		return
	}
	if err != nil {
		s.badRequest(w, err.Error())
		return
	}
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusCreated, clientDTO(r, created))
}

// ownedClient finds a client the caller owns (or supplies); others are 404, not 403, so that
// client ids of other organisations cannot be probed.
func ownedClient(st *world.State, id string, c *env.Caller) *world.MPClient {
	cl := st.Clients[id]
	if cl == nil || (cl.ClientOrgNo != c.OrgNo && cl.SupplierOrgNo != c.OrgNo) {
		return nil
	}
	return cl
}

func (s selfServiceHost) notFound(w http.ResponseWriter, id string) {
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusNotFound, mp.ErrorBody{Error: "not_found", ErrorDescription: "No client with id " + id})
}

func (s selfServiceHost) getClient(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	var dto *mp.Client
	_ = s.Env.Store.View(func(st *world.State) error {
		if cl := ownedClient(st, id, c); cl != nil {
			d := clientDTO(r, cl)
			dto = &d
		}
		return nil
	})
	if dto == nil {
		s.notFound(w, id)
		return
	}
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, dto)
}

var errNotFound = errors.New("not found")

func (s selfServiceHost) updateClient(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	var in mp.ClientFields
	if err := decodeBody(r, w, &in); err != nil {
		s.badRequest(w, err.Error())
		return
	}
	var dto mp.Client
	err := s.Env.Store.Update(func(st *world.State) error {
		cl := ownedClient(st, id, c)
		if cl == nil {
			return errNotFound
		}
		if in.IntegrationType != cl.IntegrationType {
			return errors.New("integration_type cannot be changed after creation")
		}
		if err := s.validateClientInput(st, &in, c); err != nil {
			return err
		}
		st.Touch(&st.Clients, id)
		cl.ClientName, cl.Description, cl.Scopes = in.ClientName, in.Description, in.Scopes
		cl.AccessTokenLifetime = in.AccessTokenLifetime
		cl.LastUpdated = s.Env.Opts.Now()
		dto = clientDTO(r, cl)
		return nil
	})
	switch {
	case errors.Is(err, errNotFound):
		s.notFound(w, id)
	case err != nil:
		s.badRequest(w, err.Error())
	default:
		env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, dto)
	}
}

func (s selfServiceHost) deleteClient(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	err := s.Env.Store.Update(func(st *world.State) error {
		cl := ownedClient(st, id, c)
		if cl == nil {
			return errNotFound
		}
		// Nothing is ever hard-deleted: the client is deactivated.
		st.Touch(&st.Clients, id)
		cl.Active = false
		cl.LastUpdated = s.Env.Opts.Now()
		return nil
	})
	if err != nil {
		s.notFound(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func jwksDTO(cl *world.MPClient) map[string]any {
	keys := []map[string]any{}
	for _, k := range cl.JWKs {
		m := map[string]any{}
		for kk, v := range k.JWK {
			m[kk] = v
		}
		m["exp"] = k.Exp.Unix()
		m["created"] = k.Created.UTC().Format(time.RFC3339)
		m["last_updated"] = k.LastUpdated.UTC().Format(time.RFC3339)
		keys = append(keys, m)
	}
	return map[string]any{"keys": keys}
}

func (s selfServiceHost) getJWKS(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	var dto map[string]any
	_ = s.Env.Store.View(func(st *world.State) error {
		if cl := ownedClient(st, id, c); cl != nil {
			dto = jwksDTO(cl)
		}
		return nil
	})
	if dto == nil {
		s.notFound(w, id)
		return
	}
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, dto)
}

// validateJWK checks one uploaded key: public RSA, alg RS256/384/512, use sig, a valid kid.
func validateJWK(raw map[string]any) error {
	kid, _ := raw["kid"].(string)
	for _, f := range []string{"kty", "alg", "use", "e", "n", "kid"} {
		if _, ok := raw[f]; !ok {
			return fmt.Errorf("key %q: %s is required (kty, alg, use, e, n, kid)", kid, f)
		}
	}
	for _, f := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		if _, ok := raw[f]; ok {
			return fmt.Errorf("key %q: contains the private parameter %q; upload only the public key", kid, f)
		}
	}
	if raw["kty"] != "RSA" {
		return fmt.Errorf("key %q: kty must be RSA", kid)
	}
	if alg, _ := raw["alg"].(string); !mp.AllowedAlg(alg) {
		return fmt.Errorf("key %q: alg must be RS256, RS384 or RS512", kid)
	}
	if raw["use"] != "sig" {
		return fmt.Errorf("key %q: use must be sig", kid)
	}
	if !mp.ValidKid(kid) {
		return fmt.Errorf("kid %q: use 1-128 letters, digits, '.', '_' or '-'", kid)
	}
	b, _ := json.Marshal(raw)
	k, err := jwk.ParseKey(b)
	if err != nil {
		return fmt.Errorf("key %q: %v", kid, err)
	}
	var pub any
	if err := k.Raw(&pub); err != nil {
		return fmt.Errorf("key %q: %v", kid, err)
	}
	if rk, ok := k.(jwk.RSAPublicKey); !ok || len(rk.N())*8 < 2048 {
		return fmt.Errorf("key %q: RSA keys must be at least 2048 bits", kid)
	}
	return nil
}

// decodeJWKSBody reads an uploaded key set strictly: JSON content type, valid UTF-8, an object
// whose "keys" is a non-empty array of objects. Anything else would otherwise decode as "no
// keys" and replace the client's keys with nothing, locking it out.
func decodeJWKSBody(r *http.Request, w http.ResponseWriter) ([]map[string]any, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, fmt.Errorf("Content-Type must be application/json, not %q", r.Header.Get("Content-Type"))
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 256<<10))
	if err != nil {
		return nil, errors.New("the body is too large or unreadable")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("the body is not valid UTF-8")
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(data, &body); err != nil || body == nil {
		return nil, errors.New(`the body must be a JSON object {"keys":[...]}`)
	}
	raw, ok := body["keys"]
	if !ok {
		return nil, errors.New(`keys is required: send {"keys":[...]}`)
	}
	var keys []map[string]any
	if err := json.Unmarshal(raw, &keys); err != nil || keys == nil {
		return nil, errors.New("keys must be an array of JWK objects")
	}
	if len(keys) == 0 {
		// Digdir's API does not take an empty set: removing the last key is DELETE …/jwks
		// (oslokommune/okdata-maskinporten-api deletes its last key that way).
		return nil, errors.New("keys must not be empty; to remove every key, send DELETE to this URL")
	}
	for i, k := range keys {
		if k == nil {
			return nil, fmt.Errorf("keys[%d] must be a JWK object", i)
		}
	}
	return keys, nil
}

// deleteJWKS removes every key of a client.
func (s selfServiceHost) deleteJWKS(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	now := s.Env.Opts.Now()
	err := s.Env.Store.Update(func(st *world.State) error {
		cl := ownedClient(st, id, c)
		if cl == nil {
			return errNotFound
		}
		cl.JWKs, cl.LastUpdated = nil, now
		st.Touch(&st.Clients, id)
		return nil
	})
	if err != nil {
		s.notFound(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s selfServiceHost) putJWKS(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("id")
	var body struct {
		Keys []map[string]any
	}
	var err error
	if body.Keys, err = decodeJWKSBody(r, w); err != nil {
		s.badRequest(w, err.Error())
		return
	}
	if len(body.Keys) > mp.MaxClientKeys {
		s.badRequest(w, fmt.Sprintf("a client may hold at most %d keys; the set has %d", mp.MaxClientKeys, len(body.Keys)))
		return
	}
	seen := map[string]bool{}
	for _, k := range body.Keys {
		// Server-managed fields are ignored on input.
		delete(k, "exp")
		delete(k, "created")
		delete(k, "last_updated")
		if err := validateJWK(k); err != nil {
			s.badRequest(w, err.Error())
			return
		}
		kid := k["kid"].(string)
		if seen[kid] {
			s.badRequest(w, fmt.Sprintf("kid %q appears twice in the set", kid))
			return
		}
		seen[kid] = true
	}
	now := s.Env.Opts.Now()
	var dto map[string]any
	err = s.Env.Store.Update(func(st *world.State) error {
		cl := ownedClient(st, id, c)
		if cl == nil {
			return errNotFound
		}
		old := map[string]world.StoredJWK{}
		for _, k := range cl.JWKs {
			old[k.Kid()] = k
		}
		// The whole set is replaced; posting a key again renews its year.
		var keys []world.StoredJWK
		for _, k := range body.Keys {
			created := now
			if o, ok := old[k["kid"].(string)]; ok {
				created = o.Created
			}
			keys = append(keys, world.StoredJWK{JWK: k, Exp: now.Add(mp.KeyLifetime), Created: created, LastUpdated: now})
		}
		cl.JWKs = keys
		cl.LastUpdated = now
		st.Touch(&st.Clients, id)
		dto = jwksDTO(cl)
		return nil
	})
	if err != nil {
		s.notFound(w, id)
		return
	}
	env.WriteJSON(w, now, http.StatusOK, dto)
}

// selfServiceHost is Digdir's self-service client API.
type selfServiceHost struct{ Env *env.Env }
