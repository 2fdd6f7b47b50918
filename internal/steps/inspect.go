package steps

import (
	"context"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// Inspection is a decoded, reviewed and optionally verified token.
type Inspection struct {
	Decoded *tokeninspect.Decoded
	Report  *tokeninspect.Report
	// Verified is true only when the signature, issuer and times were checked against the
	// environment's JWKS.
	Verified     bool
	Verification *maskinporten.Verification
	// VerifyError says why verification failed (nil when not attempted or when it passed).
	VerifyError error
}

// Inspect decodes and reviews a token at now. With verifier non-nil it also verifies the
// token against that session's environment; nil gives an offline look.
func Inspect(ctx context.Context, input string, now time.Time, verifier *Session) (*Inspection, error) {
	d, err := tokeninspect.Decode(input)
	if err != nil {
		return nil, err
	}
	var extra map[string]string
	if verifier != nil {
		extra = map[string]string{verifier.Env.MaskinportenIssuer: verifier.Env.Name}
	}
	in := &Inspection{Decoded: d, Report: tokeninspect.Analyze(d, now, extra)}
	if verifier != nil {
		v, err := verifier.MP.Verify(ctx, d.Raw)
		if err != nil {
			in.VerifyError = err
		} else {
			in.Verified, in.Verification = true, v
		}
	}
	return in, nil
}
