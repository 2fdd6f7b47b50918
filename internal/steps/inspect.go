package steps

import (
	"context"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// Inspection is a decoded, reviewed and optionally verified token.
type Inspection struct {
	Decoded *tokeninspect.Decoded
	Report  *tokeninspect.Report
	// Verified is true only when the signature, issuer and times were checked against the
	// environment's JWKS, or a grant's signature against the profile's key.
	Verified     bool
	Verification *maskinporten.Verification
	// VerifyError says why verification failed (nil when not attempted or when it passed).
	VerifyError error
	// AgainstClientKey is true when a grant was verified (or not) against the profile's own
	// key: the client signs a grant, Maskinporten's JWKS does not hold its key.
	AgainstClientKey bool
}

// Inspect decodes and reviews a token at now. With verifier non-nil it also verifies the
// token against that session's environment; nil gives an offline look.
func Inspect(ctx context.Context, input string, now time.Time, verifier *Session) (*Inspection, error) {
	return InspectWith(ctx, input, InspectOptions{Now: now}, verifier)
}

// InspectOptions say how to judge a token or grant.
type InspectOptions struct {
	// Now is the time to judge at: now, or when a logged grant was sent.
	Now time.Time
	// Issuer is the environment's Maskinporten issuer a grant's aud must equal ("" = any).
	Issuer string
	// IssuerEnv names Issuer's environment (for an issuer other than test's and prod's).
	IssuerEnv string
	// Strict applies Maskinporten's strict mode to a grant's undocumented claims.
	Strict bool
	// Text writes the findings; nil: the verifier's language, else English.
	Text *i18n.Printer
}

// InspectWith is Inspect with grant-check options.
func InspectWith(ctx context.Context, input string, o InspectOptions, verifier *Session) (*Inspection, error) {
	d, err := tokeninspect.Decode(input)
	if err != nil {
		return nil, err
	}
	extra := map[string]string{}
	if verifier != nil {
		extra[verifier.Env.MaskinportenIssuer] = verifier.Env.Name
	}
	if o.Issuer != "" && o.IssuerEnv != "" {
		extra[o.Issuer] = o.IssuerEnv
	}
	if o.Text == nil && verifier != nil {
		o.Text = verifier.Text
	}
	in := &Inspection{Decoded: d, Report: tokeninspect.AnalyzeWith(d, tokeninspect.Options{Now: o.Now, Issuers: extra, Issuer: o.Issuer, Strict: o.Strict, Text: o.Text})}
	if verifier == nil {
		return in, nil
	}
	var v *maskinporten.Verification
	if in.Report.Kind == tokeninspect.KindGrant {
		// The client signed it: only the profile's own key can verify it.
		in.AgainstClientKey = true
		var creds maskinporten.Credentials
		if creds, err = verifier.Credentials(); err == nil {
			v, err = maskinporten.VerifyGrant(d.Raw, creds)
		}
	} else {
		v, err = verifier.MP.Verify(ctx, d.Raw)
	}
	if err != nil {
		in.VerifyError = err
	} else {
		in.Verified, in.Verification = true, v
	}
	return in, nil
}
