package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// RequiredAltinnScopes are the scopes every SBS vendor's client needs for the system-user
// onboarding (steps 4–5) and Dialogporten.
var RequiredAltinnScopes = []string{
	"altinn:authentication/systemregister.write",
	"altinn:authentication/systemuser.request.read",
	"altinn:authentication/systemuser.request.write",
	"digdir:dialogporten",
}

// Verdict grades one check.
type Verdict string

// Verdicts.
const (
	Pass Verdict = "pass"
	Warn Verdict = "warn"
	Fail Verdict = "fail"
	Skip Verdict = "skip"
)

// Check is one line of a report.
type Check struct {
	Name string `json:"name"`
	// Label is Name in the user's language, for the screen; JSON keeps Name.
	Label   string  `json:"-"`
	Verdict Verdict `json:"verdict"`
	Detail  string  `json:"detail"`
	// Code is the server's error code (MP-200, …) when a server refused.
	Code string `json:"code,omitempty"`
	// Fix says what to do next, when something is wrong.
	Fix string `json:"fix,omitempty"`
}

// Title is the check's name as the user reads it: Label, else Name (a scope's name).
func (c Check) Title() string {
	if c.Label != "" {
		return c.Label
	}
	return c.Name
}

// named is a check called name, labelled in the session's language.
func (s *Session) named(name string) Check {
	return Check{Name: name, Label: s.T("steps.check." + strings.ReplaceAll(name, " ", "_"))}
}

// EnvironmentReport is step 1: can Maskinporten be reached, and is the clock in sync.
type EnvironmentReport struct {
	Environment string        `json:"environment"`
	Issuer      string        `json:"issuer,omitempty"`
	ClockOffset time.Duration `json:"clock_offset_ns"`
	Checks      []Check       `json:"checks"`
}

// CheckEnvironment fetches the metadata and measures the clock offset, afresh each time: a
// user who fixed the network or the clock checks again.
func CheckEnvironment(ctx context.Context, s *Session) EnvironmentReport {
	r := EnvironmentReport{Environment: s.Env.Name}
	s.MP.ForgetMetadata()
	m, err := s.MP.Metadata(ctx)
	if err != nil {
		r.Checks = append(r.Checks, s.check("metadata", Fail, err.Error(), s.T("steps.doctor.metadata_fix")))
		return r
	}
	r.Issuer = m.Issuer
	r.Checks = append(r.Checks, s.check("metadata", Pass, s.T("steps.doctor.metadata_ok", "URL", s.Env.MaskinportenMetadata, "Issuer", m.Issuer), ""))
	if m.Issuer != s.Env.MaskinportenIssuer {
		r.Checks = append(r.Checks, s.check("issuer", Warn,
			s.T("steps.doctor.issuer_differs", "Got", fmt.Sprintf("%q", m.Issuer), "Want", fmt.Sprintf("%q", s.Env.MaskinportenIssuer)),
			s.T("steps.doctor.issuer_fix")))
	}
	if !slices.Contains(m.AuthorizationDetailsTypesSupported, mp.RARTypeSystemUser) {
		r.Checks = append(r.Checks, s.check("system users", Warn, s.T("steps.doctor.no_rar_type", "Type", mp.RARTypeSystemUser), ""))
	}
	off, ok := s.MP.ClockOffset()
	switch {
	case !ok:
		r.Checks = append(r.Checks, s.check("clock", Skip, s.T("steps.doctor.no_date"), ""))
	case off.Abs() > mp.ClockWarnOffset:
		r.ClockOffset = off
		r.Checks = append(r.Checks, s.check("clock", Warn,
			s.T(aheadBehind(off), "Offset", s.printer().Duration(off)),
			s.T("steps.doctor.clock_fix")))
	default:
		r.ClockOffset = off
		r.Checks = append(r.Checks, s.check("clock", Pass, s.T("steps.doctor.clock_ok", "Offset", signedDuration(s, off), "Max", s.printer().Duration(mp.ClockWarnOffset)), ""))
	}
	return r
}

// signedDuration is d in the session's language, with a minus when it is negative.
func signedDuration(s *Session, d time.Duration) string {
	if d.Round(time.Second) < 0 {
		return "-" + s.printer().Duration(d)
	}
	return s.printer().Duration(d)
}

// aheadBehind is the message for a clock behind or ahead of Maskinporten's.
func aheadBehind(serverMinusLocal time.Duration) string {
	if serverMinusLocal > 0 {
		return "steps.doctor.clock_behind"
	}
	return "steps.doctor.clock_ahead"
}

// check is one check's verdict with its detail and fix.
func (s *Session) check(name string, v Verdict, detail, fix string) Check {
	c := s.named(name)
	c.Verdict, c.Detail, c.Fix = v, detail, fix
	return c
}

// KeyReport is the key part of step 3.
type KeyReport struct {
	Checks []Check `json:"checks"`
}

// CheckKey loads the profile's key and reports on it.
func CheckKey(s *Session) KeyReport {
	var r KeyReport
	if s.Profile.ClientID == "" {
		r.Checks = append(r.Checks, s.check("client", Fail, s.T("steps.doctor.no_client_id", "Profile", s.ProfileName), s.T("steps.doctor.no_client_id_fix")))
	} else {
		r.Checks = append(r.Checks, s.check("client", Pass, "client_id "+s.Profile.ClientID, ""))
	}
	k, err := s.Key()
	if err != nil {
		r.Checks = append(r.Checks, s.check("key", Fail, err.Error(), s.T("steps.doctor.key_fix")))
		return r
	}
	detail := s.T("steps.doctor.key_ok", "Source", s.T("steps.key_source."+string(k.Kind), "Path", k.Path), "Bits", k.Private.N.BitLen())
	if k.Kid != "" {
		detail += ", kid " + k.Kid
	}
	if len(k.Chain) > 0 {
		leaf := k.Chain[0]
		detail += s.T("steps.doctor.certificate_until", "Name", fmt.Sprintf("%q", leaf.Subject.CommonName), "Date", s.printer().Date(leaf.NotAfter))
		if s.Now().After(leaf.NotAfter) {
			c := s.check("certificate", Fail, s.T("steps.doctor.certificate_expired", "Date", s.printer().Date(leaf.NotAfter)), s.T("steps.doctor.certificate_fix"))
			c.Code = "MP-120"
			r.Checks = append(r.Checks, c)
		}
	}
	r.Checks = append(r.Checks, s.check("key", Pass, detail, ""))
	for _, w := range k.Warnings {
		r.Checks = append(r.Checks, s.check("key file", Warn, s.printer().Error(w), s.T("steps.doctor.key_file_fix")))
	}
	return r
}

// ScopeVerdict is step 2 for one scope.
type ScopeVerdict struct {
	Scope string `json:"scope"`
	Check
}

// failMP grades c failed with a Maskinporten refusal: the refusal without its next step
// (prefix before it) and every usual fix as Fix, in the session's language; the detail used to
// name the first fix, which Fix then said again, in English.
func (c *Check) failMP(s *Session, prefix string, e *maskinporten.Error) {
	p := s.printer()
	c.Verdict, c.Code, c.Detail = Fail, e.Code(), prefix+e.Brief(p)
	c.Fix = strings.Join(e.FixesIn(p), " ")
}

// CheckScopes asks for one token per scope and grades each: a scope is usable when
// Maskinporten issues a token for it alone.
func CheckScopes(ctx context.Context, s *Session, scopes []string) []ScopeVerdict {
	creds, err := s.Credentials()
	out := make([]ScopeVerdict, 0, len(scopes))
	for _, sc := range scopes {
		v := ScopeVerdict{Scope: sc, Check: Check{Name: sc}}
		if err != nil {
			v.Verdict, v.Detail = Skip, s.T("steps.doctor.no_credentials", "Err", err.Error())
			out = append(out, v)
			continue
		}
		tok, terr := s.MP.RequestToken(ctx, creds, maskinporten.TokenRequest{Scopes: []string{sc}})
		var mpErr *maskinporten.Error
		switch {
		case terr == nil:
			v.Verdict, v.Detail = Pass, s.T("steps.doctor.scope_ok", "Seconds", tok.ExpiresIn)
		case errors.As(terr, &mpErr):
			v.Check.failMP(s, "", mpErr)
			if h := mp.ScopeHint(mpErr.Problem, sc); mpErr.Known && h != "" {
				v.Fix = h // this scope and who grants it, not every family's fix
			}
		default:
			v.Verdict, v.Detail = Fail, terr.Error()
		}
		out = append(out, v)
	}
	return out
}

// DoctorReport is steps 1–3 headless.
type DoctorReport struct {
	Profile     string            `json:"profile"`
	Environment EnvironmentReport `json:"environment"`
	Config      []Check           `json:"config"`
	Key         KeyReport         `json:"key"`
	Scopes      []ScopeVerdict    `json:"scopes"`
	// Dialogporten is the one real call that proves digdir:dialogporten (doctor --systemuser-org).
	Dialogporten *Check `json:"dialogporten,omitempty"`
}

// OK reports whether nothing failed.
func (r DoctorReport) OK() bool {
	for _, list := range [][]Check{r.Environment.Checks, r.Config, r.Key.Checks} {
		for _, c := range list {
			if c.Verdict == Fail {
				return false
			}
		}
	}
	for _, v := range r.Scopes {
		if v.Verdict == Fail {
			return false
		}
	}
	return r.Dialogporten == nil || r.Dialogporten.Verdict != Fail
}

// Doctor runs steps 1–3: configuration, environment, key, and every configured scope.
func Doctor(ctx context.Context, s *Session) DoctorReport {
	r := DoctorReport{Profile: s.ProfileName}
	where := s.T("steps.doctor.builtin_profile")
	if s.File != nil && s.File.Path() != "" && s.File.Profiles[s.ProfileName] != nil {
		where = s.File.Path()
	}
	r.Config = append(r.Config, s.check("config", Pass, s.T("steps.doctor.config_ok", "Profile", fmt.Sprintf("%q", s.ProfileName), "Env", s.Env.Name, "Where", where), ""))
	for _, w := range s.Warnings {
		r.Config = append(r.Config, s.check("config", Warn, w, ""))
	}
	var missing []string
	for _, req := range RequiredAltinnScopes {
		if !slices.Contains(s.Profile.Scopes, req) {
			missing = append(missing, req)
		}
	}
	if len(missing) > 0 {
		r.Config = append(r.Config, s.check("scopes", Warn,
			s.T("steps.doctor.scopes_missing", "Scopes", strings.Join(missing, ", ")),
			s.T("steps.doctor.scopes_missing_fix")))
	}
	r.Environment = CheckEnvironment(ctx, s)
	r.Key = CheckKey(s)
	r.Scopes = CheckScopes(ctx, s, s.Profile.Scopes)
	return r
}

// RequiredScopes are the Altinn scopes plus the profile's Skatteetaten scopes.
func RequiredScopes(s *Session) []string {
	out := slices.Clone(RequiredAltinnScopes)
	for _, sc := range s.Profile.Scopes {
		if strings.HasPrefix(sc, "skatteetaten:") && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}
