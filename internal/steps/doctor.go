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
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Detail  string  `json:"detail"`
	// Code is the server's error code (MP-200, …) when a server refused.
	Code string `json:"code,omitempty"`
	// Fix says what to do next, when something is wrong.
	Fix string `json:"fix,omitempty"`
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
		r.Checks = append(r.Checks, Check{Name: "metadata", Verdict: Fail, Detail: err.Error(), Fix: "check the network and the environment's URLs (sbs-tui doctor --json shows them)"})
		return r
	}
	r.Issuer = m.Issuer
	r.Checks = append(r.Checks, Check{Name: "metadata", Verdict: Pass, Detail: "reachable at " + s.Env.MaskinportenMetadata + ", issuer " + m.Issuer})
	if m.Issuer != s.Env.MaskinportenIssuer {
		r.Checks = append(r.Checks, Check{Name: "issuer", Verdict: Warn,
			Detail: fmt.Sprintf("the metadata's issuer %q differs from the configured %q; grants use the metadata's", m.Issuer, s.Env.MaskinportenIssuer),
			Fix:    "correct urls.maskinporten_issuer in the profile"})
	}
	if !slices.Contains(m.AuthorizationDetailsTypesSupported, mp.RARTypeSystemUser) {
		r.Checks = append(r.Checks, Check{Name: "system users", Verdict: Warn, Detail: "the metadata does not list authorization_details type " + mp.RARTypeSystemUser})
	}
	off, ok := s.MP.ClockOffset()
	switch {
	case !ok:
		r.Checks = append(r.Checks, Check{Name: "clock", Verdict: Skip, Detail: "the server sent no Date header to compare with"})
	case off.Abs() > mp.ClockWarnOffset:
		r.ClockOffset = off
		r.Checks = append(r.Checks, Check{Name: "clock", Verdict: Warn,
			Detail: fmt.Sprintf("your clock is %s %s Maskinporten's; grants are refused past 10 s", off.Abs().Round(time.Second), aheadBehind(off)),
			Fix:    "synchronise the clock (timedatectl set-ntp true, or your OS's time settings)"})
	default:
		r.ClockOffset = off
		r.Checks = append(r.Checks, Check{Name: "clock", Verdict: Pass, Detail: fmt.Sprintf("offset %s (within %s)", off.Round(time.Second), mp.ClockWarnOffset)})
	}
	return r
}

func aheadBehind(serverMinusLocal time.Duration) string {
	if serverMinusLocal > 0 {
		return "behind"
	}
	return "ahead of"
}

// KeyReport is the key part of step 3.
type KeyReport struct {
	Checks []Check `json:"checks"`
}

// CheckKey loads the profile's key and reports on it.
func CheckKey(s *Session) KeyReport {
	var r KeyReport
	if s.Profile.ClientID == "" {
		r.Checks = append(r.Checks, Check{Name: "client", Verdict: Fail, Detail: "no client_id in profile " + s.ProfileName, Fix: "create a Maskinporten client in Samarbeidsportalen and set client_id"})
	} else {
		r.Checks = append(r.Checks, Check{Name: "client", Verdict: Pass, Detail: "client_id " + s.Profile.ClientID})
	}
	k, err := s.Key()
	if err != nil {
		r.Checks = append(r.Checks, Check{Name: "key", Verdict: Fail, Detail: err.Error(), Fix: "fix the key in the profile, or generate one with sbs-tui keygen"})
		return r
	}
	detail := fmt.Sprintf("%s, RSA %d bits", k.Source, k.Private.N.BitLen())
	if k.Kid != "" {
		detail += ", kid " + k.Kid
	}
	if len(k.Chain) > 0 {
		leaf := k.Chain[0]
		detail += fmt.Sprintf(", certificate %q valid until %s", leaf.Subject.CommonName, leaf.NotAfter.Format("2006-01-02"))
		if s.Now().After(leaf.NotAfter) {
			r.Checks = append(r.Checks, Check{Name: "certificate", Verdict: Fail, Detail: "the business certificate expired on " + leaf.NotAfter.Format("2006-01-02"), Code: "MP-120", Fix: "renew the certificate with your CA"})
		}
	}
	r.Checks = append(r.Checks, Check{Name: "key", Verdict: Pass, Detail: detail})
	for _, w := range k.Warnings {
		r.Checks = append(r.Checks, Check{Name: "key file", Verdict: Warn, Detail: w, Fix: "restrict the file to its owner: chmod 600"})
	}
	return r
}

// ScopeVerdict is step 2 for one scope.
type ScopeVerdict struct {
	Scope string `json:"scope"`
	Check
}

// CheckScopes asks for one token per scope and grades each: a scope is usable when
// Maskinporten issues a token for it alone.
func CheckScopes(ctx context.Context, s *Session, scopes []string) []ScopeVerdict {
	creds, err := s.Credentials()
	out := make([]ScopeVerdict, 0, len(scopes))
	for _, sc := range scopes {
		v := ScopeVerdict{Scope: sc, Check: Check{Name: sc}}
		if err != nil {
			v.Verdict, v.Detail = Skip, "no credentials: "+err.Error()
			out = append(out, v)
			continue
		}
		tok, terr := s.MP.RequestToken(ctx, creds, maskinporten.TokenRequest{Scopes: []string{sc}})
		var mpErr *maskinporten.Error
		switch {
		case terr == nil:
			v.Verdict, v.Detail = Pass, fmt.Sprintf("token issued, valid for %ds", tok.ExpiresIn)
		case errors.As(terr, &mpErr):
			v.Verdict, v.Code, v.Detail = Fail, mpErr.Code(), mpErr.Error()
			if mpErr.Known {
				v.Fix = strings.Join(mpErr.Problem.Fixes, " ")
				if h := mp.ScopeHint(mpErr.Problem, sc); h != "" {
					v.Fix = h // this scope and who grants it, not every family's fix
				}
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
	where := "the built-in sandbox profile"
	if s.File != nil && s.File.Path() != "" && s.File.Profiles[s.ProfileName] != nil {
		where = s.File.Path()
	}
	r.Config = append(r.Config, Check{Name: "config", Verdict: Pass, Detail: fmt.Sprintf("profile %q (%s environment) from %s", s.ProfileName, s.Env.Name, where)})
	for _, w := range s.Warnings {
		r.Config = append(r.Config, Check{Name: "config", Verdict: Warn, Detail: w})
	}
	var missing []string
	for _, req := range RequiredAltinnScopes {
		if !slices.Contains(s.Profile.Scopes, req) {
			missing = append(missing, req)
		}
	}
	if len(missing) > 0 {
		r.Config = append(r.Config, Check{Name: "scopes", Verdict: Warn,
			Detail: "the profile does not list " + strings.Join(missing, ", "),
			Fix:    "order them from Digdir/Altinn, add them to the client, and list them under scopes"})
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
