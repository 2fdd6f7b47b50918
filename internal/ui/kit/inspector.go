package kit

import (
	"fmt"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// InspectorViewIn draws a decoded token in p's language: status and signature badges, a live
// expiry countdown, header, claims with times three ways, the system user, and the findings.
// now is the wizard's clock, so the countdown moves each second.
func InspectorViewIn(p *i18n.Printer, st Styles, in *steps.Inspection, now time.Time, width int) string {
	var b strings.Builder
	r := in.Report
	// Status from the clock now, not from when it was inspected.
	var exp *tokeninspect.TimeClaim
	for i := range r.Times {
		if r.Times[i].Name == "exp" {
			exp = &r.Times[i]
		}
	}
	switch {
	case exp == nil:
		b.WriteString(st.Warn.Render(p.T("kit.inspector.no_expiry")))
	case now.Before(exp.Time):
		b.WriteString(st.Pass.Render(p.T("kit.inspector.valid")) + p.T("kit.inspector.expires_in") + st.Bold.Render(tokeninspect.DurationIn(p, exp.Time.Sub(now))))
	default:
		b.WriteString(st.Fail.Render(p.T("kit.inspector.expired")) + " " + p.T("kit.inspector.ago", "Duration", tokeninspect.DurationIn(p, now.Sub(exp.Time))))
	}
	switch {
	case in.Verified:
		b.WriteString("   " + st.Pass.Render(p.T("kit.inspector.verified")) + st.Subtle.Render(p.T("kit.inspector.key")+termsafe.Truncate(termsafe.Line(in.Verification.Kid), 16)))
	case in.VerifyError != nil:
		b.WriteString("   " + st.Fail.Render(p.T("kit.inspector.invalid")))
	default:
		b.WriteString("   " + st.Warn.Render(p.T("kit.inspector.unverified")))
	}
	b.WriteString("\n")
	if in.VerifyError != nil {
		b.WriteString(WrapText(st.Error.Render(termsafe.Line(in.VerifyError.Error())), width) + "\n")
	}
	if su := r.SystemUser; su != nil {
		b.WriteString("\n" + st.Bold.Render(p.T("kit.inspector.system_user")) + "\n")
		fmt.Fprintf(&b, "  %-12s %s\n", "id", termsafe.Line(strings.Join(su.SystemUserIDs, ", ")))
		fmt.Fprintf(&b, "  %-12s %s\n", p.T("kit.inspector.system"), termsafe.Line(su.SystemID))
		fmt.Fprintf(&b, "  %-12s %s\n", p.T("kit.inspector.owner"), termsafe.Line(su.OwnerOrg))
	}
	var findings []string
	for _, f := range r.Findings {
		mark := map[tokeninspect.Level]string{tokeninspect.OK: st.Pass.Render("✓"), tokeninspect.Info: st.Subtle.Render("i"),
			tokeninspect.Warn: st.Warn.Render("!"), tokeninspect.Error: st.Fail.Render("✗")}[f.Level]
		if f.Level == tokeninspect.OK || f.Level == tokeninspect.Info {
			continue // the claims below say it; only problems need the space
		}
		findings = append(findings, WrapText(mark+" "+termsafe.Line(f.Text), width)) // the paste box does not wrap for us
	}
	if len(findings) > 0 {
		b.WriteString("\n" + strings.Join(findings, "\n") + "\n")
	}
	b.WriteString("\n" + st.Bold.Render(p.T("kit.inspector.header")) + "  ")
	var hdr []string
	for _, f := range in.Decoded.Header {
		hdr = append(hdr, termsafe.Line(f.Name)+"="+termsafe.Truncate(fieldValue(f), 48))
	}
	b.WriteString(strings.Join(hdr, "  ") + "\n\n" + st.Bold.Render(p.T("kit.inspector.claims")) + "\n")
	times := map[string]tokeninspect.TimeClaim{}
	for _, tc := range r.Times {
		times[tc.Name] = tc
	}
	valueWidth := max(width-16, 20)
	for _, f := range in.Decoded.Claims {
		if f.Name == "authorization_details" && r.SystemUser != nil {
			continue // shown above, readably
		}
		v := fieldValue(f)
		if tc, ok := times[f.Name]; ok {
			v = fmt.Sprintf("%s · %s UTC · %s", claimTime(p, tc.Time.Local()), tc.Time.Format("15:04:05"), tokeninspect.RelativeIn(p, tc.Time, now))
		}
		fmt.Fprintf(&b, "  %-12s %s\n", termsafe.Truncate(termsafe.Line(f.Name), 12), termsafe.Truncate(v, valueWidth))
	}
	return b.String()
}

func fieldValue(f tokeninspect.Field) string {
	if s, ok := f.Value.(string); ok {
		return termsafe.Line(s)
	}
	return termsafe.Line(string(f.Raw))
}

// claimTime is a time claim's local date and time: ISO in English, as developers compare it
// with logs; "26. nov. 2026 12:02:00" in Norwegian.
func claimTime(p *i18n.Printer, t time.Time) string {
	if p.Lang() == i18n.EN {
		return t.Format("2006-01-02 15:04:05")
	}
	return p.Date(t) + " " + p.Clock(t)
}
