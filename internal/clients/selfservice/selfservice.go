// Package selfservice is a client for Digdir's self-service API for Maskinporten clients
// (integrations) and their keys. It needs a token from an admin client with the scopes
// idporten:dcr.read, idporten:dcr.write and idporten:dcr.modify.
package selfservice

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Scopes the admin token needs.
var Scopes = []string{"idporten:dcr.read", "idporten:dcr.write", "idporten:dcr.modify"}

// TokenSource returns a bearer token for the self-service API.
type TokenSource func(ctx context.Context) (string, error)

// Client talks to one self-service API.
type Client struct {
	base  string // the client collection URL, without a trailing "/"
	http  *http.Client
	token TokenSource
}

// New returns a client for the client collection at base, since Digdir's 2025-05-22 release
// https://api.test.samarbeid.digdir.no/api/v1/clients (prod https://api.samarbeid.digdir.no/api/v1/clients);
// a client is base/{id} and its keys base/{id}/jwks (see mp.SelfServiceClientsPath).
func New(base string, h *http.Client, token TokenSource) *Client {
	return &Client{base: strings.TrimRight(base, "/"), http: h, token: token}
}

// NewClient is the writable part of a Maskinporten client.
type NewClient = mp.ClientFields

// MaskinportenClient returns the body for a new Maskinporten integration.
func MaskinportenClient(name, description string, scopes []string) NewClient {
	return mp.NewMaskinportenClient(name, description, scopes)
}

// RegisteredClient is a client as the API returns it.
type RegisteredClient = mp.Client

// RegisteredKey is a key on a client with its expiry.
type RegisteredKey = mp.RegisteredKey

// Error is a refusal from the self-service API.
type Error struct {
	Status      int
	Code        string
	Description string
	Op          string
	// Base is the client collection URL the request went to; a 404 there from a pre-2025-05-22
	// base (…/clients without /api/v1/) is explained as the moved path.
	Base string
}

// Legacy reports whether the request went to the self-service API's pre-2025-05-22 base.
func (e *Error) Legacy() bool {
	return e.Base != "" && !strings.HasSuffix(e.Base, "/"+mp.SelfServiceClientsPath)
}

func (e *Error) Error() string {
	next := "check the request"
	switch e.Status {
	case http.StatusUnauthorized:
		next = "the admin token was refused; check the admin client's key and that it uses a business certificate"
	case http.StatusForbidden, http.StatusPreconditionRequired:
		if p, ok := mp.SelfServiceProblemFor(e.Code, e.Status); ok {
			next = p.Meaning + " " + strings.Join(p.Fixes, " ")
		}
	case http.StatusNotFound:
		next = "no such client for your organisation; check the client id and environment"
		if e.Legacy() {
			next = "this is the self-service API's old base; Digdir moved the clients to …/" + mp.SelfServiceClientsPath +
				" on 2025-05-22: set urls.selfservice in your profile to " + mp.SelfServiceCurrentBase(e.Base) + " or remove the override"
		}
	case http.StatusConflict:
		next = "the client is deactivated or already exists"
	}
	next = strings.TrimSuffix(next, ".")
	desc := e.Description
	if desc == "" {
		desc = http.StatusText(e.Status)
	}
	return fmt.Sprintf("Digdir's self-service API refused to %s (HTTP %d %s): %s. Next: %s.", e.Op, e.Status, e.Code, strings.TrimSuffix(desc, "."), next)
}

func (c *Client) do(ctx context.Context, op, method, path string, body, out any) error {
	var rdr *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rdr = bytes.NewReader(b)
	} else {
		rdr = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rdr)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	tok, err := c.token(ctx)
	if err != nil {
		return fmt.Errorf("%s: get an admin token: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: reach the self-service API: %w", op, err)
	}
	data, err := httpx.ReadBody(resp)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var eb struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(data, &eb)
		return &Error{Status: resp.StatusCode, Code: termsafe.Line(eb.Error), Description: termsafe.Truncate(termsafe.Line(eb.Description), 500), Op: op, Base: c.base}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: the response is not the expected JSON: %w", op, err)
		}
	}
	return nil
}

// Create registers a new client.
func (c *Client) Create(ctx context.Context, nc NewClient) (*RegisteredClient, error) {
	var out RegisteredClient
	if err := c.do(ctx, "create the client", http.MethodPost, "", nc, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Get reads one client.
func (c *Client) Get(ctx context.Context, id string) (*RegisteredClient, error) {
	var out RegisteredClient
	if err := c.do(ctx, "read client "+id, http.MethodGet, "/"+url.PathEscape(id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the organisation's active clients.
func (c *Client) List(ctx context.Context) ([]RegisteredClient, error) {
	var out []RegisteredClient
	err := c.do(ctx, "list clients", http.MethodGet, "", nil, &out)
	return out, err
}

// Deactivate deactivates a client (nothing is ever deleted).
func (c *Client) Deactivate(ctx context.Context, id string) error {
	return c.do(ctx, "deactivate client "+id, http.MethodDelete, "/"+url.PathEscape(id), nil, nil)
}

// ReplaceKeys replaces the client's whole key set with keys (public JWKs; at most five).
func (c *Client) ReplaceKeys(ctx context.Context, id string, keys []json.RawMessage) ([]RegisteredKey, error) {
	var out struct {
		Keys []RegisteredKey `json:"keys"`
	}
	err := c.do(ctx, "upload keys to client "+id, http.MethodPost, "/"+url.PathEscape(id)+"/jwks", map[string]any{"keys": keys}, &out)
	return out.Keys, err
}

// Keys lists the client's keys with their expiry.
func (c *Client) Keys(ctx context.Context, id string) ([]RegisteredKey, error) {
	var out struct {
		Keys []RegisteredKey `json:"keys"`
	}
	err := c.do(ctx, "read the keys of client "+id, http.MethodGet, "/"+url.PathEscape(id)+"/jwks", nil, &out)
	return out.Keys, err
}
