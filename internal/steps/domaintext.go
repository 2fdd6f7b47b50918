package steps

import (
	"errors"
	"strconv"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// The domain packages speak English (the sandbox answers with their texts, as Altinn does);
// these say their errors in the user's language where they are shown, keyed by the rule
// they name. The English catalogue is the domain's own English, so English output is the same.

// OrgNoText is an organisation-number error in p's language (any other error as it is).
func OrgNoText(p *i18n.Printer, err error) string {
	var e *orgno.Error
	if p == nil || !errors.As(err, &e) {
		return err.Error()
	}
	return p.T("domain.orgno."+e.Rule, "Value", strconv.Quote(e.Value), "Len", len(e.Value))
}

// OrgNoError is err with OrgNoText's text; errors.As still finds the *orgno.Error.
func OrgNoError(p *i18n.Printer, err error) error {
	if err == nil {
		return nil
	}
	return localizedError{err, OrgNoText(p, err)}
}

// ViolationMessage is v's message in p's language when its rule is in the catalogue.
func ViolationMessage(p *i18n.Printer, v altinn.Violation) string {
	if p == nil || v.Rule == "" || !p.Has("domain.violation."+v.Rule) {
		return v.Message
	}
	return p.T("domain.violation."+v.Rule, "Value", strconv.Quote(v.Value), "Want", v.Want, "Len", len(v.Value), "Ext", v.Extensions)
}

// LocalizeViolation is v with its Message in p's language (for a display that lays out
// field, message and code itself, such as kit.ViolationText).
func LocalizeViolation(p *i18n.Printer, v altinn.Violation) altinn.Violation {
	v.Message = ViolationMessage(p, v)
	return v
}

// ViolationText is v.Error() in p's language: the field, the message and the server code.
func ViolationText(p *i18n.Printer, v altinn.Violation) string {
	if p == nil {
		return v.Error()
	}
	if v.Code == "" {
		return v.Field + ": " + ViolationMessage(p, v)
	}
	return p.T("domain.violation.with_code", "Field", v.Field, "Message", ViolationMessage(p, v), "Code", string(v.Code))
}

// ViolationError is v as an error in p's language (errors.As still finds the Violation).
func ViolationError(p *i18n.Printer, v altinn.Violation) error {
	return localizedError{v, ViolationText(p, v)}
}

type localizedError struct {
	err error
	msg string
}

func (e localizedError) Error() string { return e.msg }
func (e localizedError) Unwrap() error { return e.err }

// SkatteetatenText is Skatteetaten's error answer as one sentence in p's language: its kode
// and melding as sent, the meaning and fixes from the explain catalogue, the korrelasjonsid.
func SkatteetatenText(p *i18n.Printer, b ske.ErrorBody, status int) string {
	if p == nil {
		p = i18n.English()
	}
	var sb strings.Builder
	sb.WriteString("Skatteetaten " + b.Kode)
	if status != 0 {
		sb.WriteString(" (HTTP " + strconv.Itoa(status) + ")")
	}
	if b.Melding != "" {
		sb.WriteString(": " + strings.TrimSuffix(b.Melding, ".") + ".")
	}
	if entry, err := explain.Lookup(b.Kode); err == nil && entry.Source == explain.SourceSkatteetaten {
		entry = explain.Localize(entry, p)
		sb.WriteString(" " + entry.Means + p.T("domain.ske.next", "Fix", strings.Join(entry.Fixes, " ")))
	} else {
		sb.WriteString(" " + p.T("domain.ske.support"))
	}
	if b.Korrelasjonsid != "" {
		sb.WriteString(p.T("domain.ske.correlation", "ID", b.Korrelasjonsid))
	}
	return sb.String()
}
