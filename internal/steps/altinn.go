package steps

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// altinnState is the session's lazily built Altinn client, catalog and exchanged tokens.
type altinnState struct {
	once    sync.Once
	client  *altinnclient.Client
	catMu   sync.Mutex
	catalog *accesspackages.Catalog
	exMu    sync.Mutex
	ex      map[string]exchanged
}

type exchanged struct {
	token string
	exp   time.Time
}

// Altinn returns the session's Altinn client. Its tokens come from the session's Maskinporten
// cache, one scope per token, exchanged for Altinn tokens when the profile asks for it.
func (s *Session) Altinn() *altinnclient.Client {
	s.altinn.once.Do(func() {
		s.altinn.client = altinnclient.New(s.Env.AltinnPlatform, s.HTTP, s.altinnToken)
	})
	return s.altinn.client
}

func (s *Session) altinnToken(ctx context.Context, scope string) (string, error) {
	tok, _, err := s.Token(ctx, maskinporten.TokenRequest{Scopes: []string{scope}})
	if err != nil {
		return "", err
	}
	if !s.Profile.AltinnExchange {
		return tok.AccessToken, nil
	}
	s.altinn.exMu.Lock()
	defer s.altinn.exMu.Unlock()
	if e, ok := s.altinn.ex[scope]; ok && s.Now().Add(time.Minute).Before(e.exp) {
		return e.token, nil
	}
	at, err := s.Altinn().Exchange(ctx, tok.AccessToken)
	if err != nil {
		return "", err
	}
	if s.altinn.ex == nil {
		s.altinn.ex = map[string]exchanged{}
	}
	// The exchanged token lives 30 minutes but carries the Maskinporten token's claims; reuse
	// it no longer than the Maskinporten token.
	s.altinn.ex[scope] = exchanged{token: at, exp: tok.ExpiresAt}
	return at, nil
}

// CatalogRefreshTimeout bounds the attempt to read the live catalog.
const CatalogRefreshTimeout = 5 * time.Second

// Catalog returns the access-package catalog: the live one when Altinn's metadata API answers
// in time, else the embedded one. The result is kept for the session.
func (s *Session) Catalog(ctx context.Context) *accesspackages.Catalog {
	s.altinn.catMu.Lock()
	defer s.altinn.catMu.Unlock()
	if s.altinn.catalog != nil {
		return s.altinn.catalog
	}
	cctx, cancel := context.WithTimeout(ctx, CatalogRefreshTimeout)
	defer cancel()
	cat, err := s.Altinn().FetchCatalog(cctx)
	if err != nil {
		s.Log.Debug("access-package catalog: using the embedded copy", "reason", err.Error())
		cat = accesspackages.Embedded()
	}
	s.altinn.catalog = cat
	return cat
}

// SystemFile is a system definition read from a file, with what local validation found.
type SystemFile struct {
	Definition altinn.SystemDefinition
	// Problems block registration: the server would refuse (they carry its code) or the JSON
	// is broken.
	Problems []altinn.Violation
	// Warnings are worth fixing but the server would accept the definition.
	Warnings []altinn.Violation
}

// MaxSystemFileSize caps a system.json.
const MaxSystemFileSize = 1 << 20

// ReadSystemFile reads and checks a system.json.
func ReadSystemFile(path string, cat *accesspackages.Catalog, p *ProfileFacts) (*SystemFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read system definition: %w", err)
	}
	if st.Size() > MaxSystemFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes; is it the right file?", path, MaxSystemFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read system definition: %w", err)
	}
	return CheckSystemJSON(data, cat, p), nil
}

// ProfileFacts are what the profile knows that a system definition should agree with.
type ProfileFacts struct {
	OrgNo    string
	ClientID string
}

// CheckSystemJSON decodes and checks a system definition.
func CheckSystemJSON(data []byte, cat *accesspackages.Catalog, p *ProfileFacts) *SystemFile {
	f := &SystemFile{}
	if err := altinn.DecodeStrict(data, &f.Definition); err != nil {
		v := altinn.Violation{Field: "JSON", Message: err.Error()}
		var je *altinn.JSONError
		if errors.As(err, &je) {
			v = je.Violation()
		}
		f.Problems = append(f.Problems, v)
		return f
	}
	for _, u := range altinn.UnknownFields(data, altinn.SystemFields...) {
		f.Warnings = append(f.Warnings, altinn.Violation{Field: u, Rule: "not_system_field", Message: "is not a field of a system definition; the server ignores it"})
	}
	f.Problems = altinn.CheckSystemCreate(f.Definition, cat, nil)
	for _, v := range altinn.LocalSystemChecks(f.Definition) {
		if v.Code != "" || v.Blocking {
			f.Problems = append(f.Problems, v)
		} else {
			f.Warnings = append(f.Warnings, v)
		}
	}
	if p != nil {
		d := f.Definition
		if p.OrgNo != "" && d.Vendor.OrgNo() != "" && d.Vendor.OrgNo() != p.OrgNo {
			f.Problems = append(f.Problems, altinn.Violation{Field: "vendor.ID", Rule: "vendor_not_profile", Value: d.Vendor.ID, Want: p.OrgNo,
				Message: fmt.Sprintf("is %s but your profile's organisation is %s; Altinn answers 403 to another vendor's system", d.Vendor.ID, p.OrgNo)})
		}
		if p.ClientID != "" && len(d.ClientID) > 0 && !slices.Contains(d.ClientID, p.ClientID) {
			f.Warnings = append(f.Warnings, altinn.Violation{Field: "clientId", Rule: "client_id_not_profile", Want: p.ClientID,
				Message: fmt.Sprintf("does not list your profile's client id %s; system-user tokens from it will fail with MP-303", p.ClientID)})
		}
	}
	return f
}

// ViolationsError is local validation refusing to send a request.
type ViolationsError struct {
	What       string
	Violations []altinn.Violation
	// Text renders the sentence around the violations; English when nil.
	Text *i18n.Printer
}

func (e *ViolationsError) Error() string {
	p := e.Text
	if p == nil {
		p = i18n.English()
	}
	var b strings.Builder
	b.WriteString(p.N("steps.violations.head", len(e.Violations), "What", e.What))
	for _, v := range e.Violations {
		b.WriteString("\n  - ")
		b.WriteString(ViolationText(p, v))
	}
	b.WriteString("\n" + p.T("steps.violations.fix"))
	return b.String()
}

// violations is a ViolationsError in the session's language.
func (s *Session) violations(what string, vs []altinn.Violation) *ViolationsError {
	return &ViolationsError{What: what, Violations: vs, Text: s.Text}
}

// RegisterResult says what register did.
type RegisterResult struct {
	SystemID   string   `json:"system_id"`
	Action     string   `json:"action"` // created, updated, unchanged (dry run: would-create, would-update)
	Changes    []string `json:"changes,omitempty"`
	InternalID string   `json:"internal_id,omitempty"`
	// Recovered is true when a create's answer was lost and the system was found by lookup.
	Recovered bool `json:"recovered,omitempty"`
}

// ActionIn is what registering did, in p's language ("unchanged", "ville blitt oppdatert");
// an action the catalogue lacks is said as its code.
func (r *RegisterResult) ActionIn(p *i18n.Printer) string {
	if id := "steps.register.action." + strings.ReplaceAll(r.Action, "-", "_"); p.Has(id) { //i18n:ignore an id prefix
		return p.T(id)
	}
	return strings.ReplaceAll(r.Action, "-", " ")
}

// RegisterSystem creates the system, or updates it when it exists and differs (compared on
// normalised values: the server drops vendor.authority, adds "/" to bare hosts, omits nulls).
func RegisterSystem(ctx context.Context, s *Session, d altinn.SystemDefinition, dryRun bool) (*RegisterResult, error) {
	cat := s.Catalog(ctx)
	if vs := altinn.CheckSystemCreate(d, cat, nil); len(vs) > 0 {
		return nil, s.violations(s.T("steps.violations.system", "ID", d.ID), vs)
	}
	c := s.Altinn()
	existing, err := c.GetSystem(ctx, d.ID)
	if err != nil && !altinnclient.IsNotFound(err) {
		return nil, err
	}
	r := &RegisterResult{SystemID: d.ID}
	if existing == nil {
		if dryRun {
			r.Action = "would-create"
			return r, nil
		}
		r.InternalID, r.Recovered, err = c.CreateSystem(ctx, d)
		if err != nil {
			return nil, err
		}
		r.Action = "created"
		return r, nil
	}
	if existing.IsDeleted {
		return nil, errors.New(s.T("steps.register.deleted", "ID", d.ID))
	}
	r.Changes = DiffSystem(*existing, d)
	if len(r.Changes) == 0 {
		r.Action = "unchanged"
		return r, nil
	}
	if dryRun {
		r.Action = "would-update"
		return r, nil
	}
	if vs := altinn.ValidateSystemUpdate(d, cat, nil); len(vs) > 0 {
		return nil, s.violations(s.T("steps.violations.system_update", "ID", d.ID), vs)
	}
	if err := c.UpdateSystem(ctx, d); err != nil {
		return nil, err
	}
	r.Action = "updated"
	return r, nil
}

// DiffSystem lists the fields where the stored system differs from the definition.
func DiffSystem(have altinn.RegisteredSystem, want altinn.SystemDefinition) []string {
	var out []string
	cmp := func(field string, a, b []string) {
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
			out = append(out, fmt.Sprintf("%s: %s → %s", field, listOrNone(a), listOrNone(b)))
		}
	}
	cmp("name", langs(have.Name), langs(want.Name))
	cmp("description", langs(have.Description), langs(want.Description))
	cmp("accessPackages", packageURNs(have.AccessPackages), packageURNs(want.AccessPackages))
	cmp("rights", rightKeys(have.Rights), rightKeys(want.Rights))
	cmp("clientId", lower(have.ClientID), lower(want.ClientID))
	cmp("allowedRedirectUrls", normURLs(have.AllowedRedirectURLs), normURLs(want.AllowedRedirectURLs))
	if have.IsVisible != want.Visible() {
		out = append(out, fmt.Sprintf("isVisible: %v → %v", have.IsVisible, want.Visible()))
	}
	return out
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "(none)"
	}
	return strings.Join(l, ", ")
}

func langs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func packageURNs(p []altinn.PackageRef) []string {
	out := make([]string, 0, len(p))
	for _, x := range p {
		out = append(out, accesspackages.URN(x.URN))
	}
	return out
}

func rightKeys(r []altinn.Right) []string {
	out := make([]string, 0, len(r))
	for _, x := range r {
		out = append(out, x.Key())
	}
	return out
}

func lower(l []string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, strings.ToLower(x))
	}
	return out
}

func normURLs(l []string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, altinn.NormalizeURL(x))
	}
	return out
}

// RequestParams are the inputs of step 5.
type RequestParams struct {
	SystemID    string
	OrgNo       string
	Packages    []string // codes or URNs
	Rights      []string // resource ids
	Agent       bool
	ExternalRef string
	RedirectURL string
	Title       string
}

// RequestResult is the outcome of step 5.
type RequestResult struct {
	Request *altinn.Request `json:"request"`
	// Created is false when Altinn returned an existing request for the same triple.
	Created bool `json:"created"`
	// Note explains an existing request (its status, and what to do about a rejected one).
	Note string `json:"note,omitempty"`
	// Warnings are what Altinn accepts but the vendor should know before the customer answers.
	Warnings []string `json:"warnings,omitempty"`
}

// CheckRequest validates request inputs locally, against the system when it can be read.
func CheckRequest(ctx context.Context, s *Session, p RequestParams) (altinn.CreateRequest, []altinn.Violation, error) {
	var vs []altinn.Violation
	org := orgno.Normalize(p.OrgNo)
	if err := orgno.Validate(org); err != nil {
		vs = append(vs, altinn.OrgNoViolation("partyOrgNo", err))
	}
	cat := s.Catalog(ctx)
	body := altinn.CreateRequest{SystemID: p.SystemID, PartyOrgNo: org, ExternalRef: p.ExternalRef, IntegrationTitle: p.Title, RedirectURL: p.RedirectURL}
	for _, code := range p.Packages {
		urn := accesspackages.URN(code)
		if _, ok := cat.Lookup(urn); !ok {
			vs = append(vs, altinn.Violation{Field: "accessPackages", Message: s.unknownPackage(cat, code)})
		}
		body.AccessPackages = append(body.AccessPackages, altinn.PackageRef{URN: urn})
	}
	for _, r := range p.Rights {
		body.Rights = append(body.Rights, altinn.NewResourceRight(r))
	}
	if p.Agent && len(p.Rights) > 0 {
		vs = append(vs, altinn.Violation{Field: "rights", Message: s.T("steps.request.agent_rights")})
	}
	if len(p.ExternalRef) > 255 || strings.ContainsAny(p.ExternalRef, "/?#") {
		vs = append(vs, altinn.Violation{Field: "externalRef", Message: s.T("steps.request.external_ref")})
	}
	if len(vs) > 0 {
		return body, vs, nil
	}
	sys, err := s.Altinn().GetSystem(ctx, p.SystemID)
	switch {
	case altinnclient.IsNotFound(err):
		return body, []altinn.Violation{{Code: "AUTH-00011", Field: "systemId", Message: s.T("steps.request.not_registered", "ID", p.SystemID)}}, nil
	case err != nil:
		return body, nil, err
	case sys.IsDeleted:
		// Altinn would accept it (soft-deleted systems are not filtered out,
		// SystemRegisterRepository.cs:245-263), but a deleted system has no client ids left, so
		// every token for the system user would fail with MP-303.
		return body, []altinn.Violation{{Field: "systemId", Blocking: true, Message: s.T("steps.request.deleted", "ID", p.SystemID)}}, nil
	}
	rights := body.Rights
	pkgs := body.AccessPackages
	if !p.Agent && rights == nil && pkgs == nil {
		pkgs = []altinn.PackageRef{}
	}
	terms := altinn.SystemTerms{Rights: sys.Rights, AccessPackages: sys.AccessPackages, AllowedRedirectURLs: sys.AllowedRedirectURLs}
	if v := altinn.ValidateRequestTerms(rights, pkgs, p.RedirectURL, p.Agent, terms, cat); v != nil {
		return body, []altinn.Violation{*v}, nil
	}
	return body, nil, nil
}

// CreateRequest is step 5: check locally, then ask Altinn for the customer's approval.
func CreateRequest(ctx context.Context, s *Session, p RequestParams) (*RequestResult, error) {
	body, vs, err := CheckRequest(ctx, s, p)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 {
		return nil, s.violations(s.T("steps.violations.request"), vs)
	}
	req, created, err := s.Altinn().CreateRequest(ctx, body, p.Agent)
	if err != nil {
		return nil, err
	}
	r := &RequestResult{Request: req, Created: created}
	if w := noClientRoleWarning(s, p.Agent, body); w != "" {
		r.Warnings = append(r.Warnings, w)
	}
	if !created {
		r.Note = ExistingRequestNote(s, req)
		if req.Status == altinn.StatusNew && samePackages(req.AccessPackages, body.AccessPackages) && len(req.Rights) == len(body.Rights) {
			r.Note = s.T("steps.request.same_waiting")
		}
	}
	return r, nil
}

// noClientRoleWarning says which of an agent request's packages no client role gives the
// facilitator: Altinn accepts the request, but a client can be added to the system user only
// once it has delegated those packages to the facilitator itself ("" when there are none).
func noClientRoleWarning(s *Session, agent bool, body altinn.CreateRequest) string {
	if !agent {
		return ""
	}
	missing := altinn.PackagesNoRoleGives(altinn.PackageCodes(body.AccessPackages))
	if len(missing) == 0 {
		return ""
	}
	return s.T("steps.request.no_client_role", "Packages", strings.Join(missing, ", "), "Roles", strings.Join(altinn.ClientRoles(), ", "), "Org", body.PartyOrgNo)
}

// samePackages compares two package lists as sets of URNs.
func samePackages(a, b []altinn.PackageRef) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, p := range a {
		seen[accesspackages.URN(p.URN)] = true
	}
	for _, p := range b {
		if !seen[accesspackages.URN(p.URN)] {
			return false
		}
	}
	return true
}

// ExistingRequestNote explains a request Altinn returned instead of creating a new one.
func ExistingRequestNote(s *Session, req *altinn.Request) string {
	switch req.Status {
	case altinn.StatusNew:
		return s.T("steps.request.waiting")
	case altinn.StatusAccepted:
		return s.T("steps.request.accepted", "Org", req.PartyOrgNo, "Ref", req.ExternalRef)
	case altinn.StatusRejected, altinn.StatusDenied:
		return s.T("steps.request.rejected", "ID", req.ID)
	default:
		return s.T("steps.request.other_status", "Status", req.Status)
	}
}

// unknownPackage says a package code is not in the catalogue, with the nearest codes.
func (s *Session) unknownPackage(cat *accesspackages.Catalog, code string) string {
	if sug := cat.Suggest(code, 2); len(sug) > 0 {
		return s.T("steps.request.unknown_package_hint", "Code", fmt.Sprintf("%q", code), "Suggest", strings.Join(sug, s.T("steps.request.or")))
	}
	return s.T("steps.request.unknown_package", "Code", fmt.Sprintf("%q", code))
}

// RecreateRequest deletes an existing request and creates it anew (after a rejection).
func RecreateRequest(ctx context.Context, s *Session, oldID string, p RequestParams) (*RequestResult, error) {
	if err := s.Altinn().DeleteRequest(ctx, oldID); err != nil {
		return nil, err
	}
	return CreateRequest(ctx, s, p)
}

// PollEvent reports one status check while waiting for approval.
type PollEvent struct {
	Request *altinn.Request
	Err     error
	Next    time.Duration // wait before the next check
}

// PollBackoff is the waiting schedule: 2 s, growing by half each time, at most 30 s.
type PollBackoff struct {
	First, Max time.Duration
}

// DefaultPollBackoff is polite to Altinn while a customer takes minutes or days.
var DefaultPollBackoff = PollBackoff{First: 2 * time.Second, Max: 30 * time.Second}

// Next returns the wait after prev.
func (b PollBackoff) Next(prev time.Duration) time.Duration {
	if prev == 0 {
		return b.First
	}
	return min(prev+prev/2, b.Max)
}

// WaitForDecision is step 6 headless: poll until the request leaves New (or ctx ends). Errors
// of single polls are reported through onPoll and retried; a 404 ends the wait.
func WaitForDecision(ctx context.Context, s *Session, id string, agent bool, b PollBackoff, onPoll func(PollEvent)) (*altinn.Request, error) {
	var wait time.Duration
	for {
		req, err := s.Altinn().GetRequest(ctx, id, agent)
		wait = b.Next(wait)
		if onPoll != nil {
			onPoll(PollEvent{Request: req, Err: err, Next: wait})
		}
		if err == nil && req.Status != altinn.StatusNew {
			return req, nil
		}
		if err != nil && (altinnclient.IsNotFound(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return req, err
		}
		if err := httpx.Sleep(ctx, wait); err != nil {
			return req, err
		}
	}
}

// IsNotFound reports Altinn's 404 (an unknown or deleted request, system or user).
func IsNotFound(err error) bool { return altinnclient.IsNotFound(err) }

// Escalation finds whether the customer forwarded a New request to their Tilgangsstyrer
// (the approval page's «Ja, send videre»). Altinn leaves `escalated` out of the GETs by id
// and by external reference and returns it only in the list by system, so req (as read by
// id) is looked up there: every page of the system's requests, which callers do seldom. A
// request that is not New, or not found in the list, is not escalated.
func Escalation(ctx context.Context, s *Session, req *altinn.Request, agent bool) (bool, error) {
	if req == nil || req.Status != altinn.StatusNew {
		return false, nil
	}
	if req.Escalated {
		return true, nil
	}
	list, err := s.Altinn().ListRequests(ctx, req.SystemID, agent)
	if err != nil {
		return false, fmt.Errorf("checking whether request %s was forwarded: %w", req.ID, err)
	}
	for _, q := range list {
		if q.ID == req.ID {
			return q.Escalated, nil
		}
	}
	return false, nil
}
