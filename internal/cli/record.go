package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/support"
)

// Facts describes this session for a HAR file or a report: environment, hosts, profile
// identity (never the key) and clock offset.
func (a *App) Facts() *support.Facts {
	f := &support.Facts{Tool: "sbs-tui " + support.ToolVersion(), Recorded: a.Now(), Reproduce: a.SelfCommand(),
		Command: httpx.RedactText(strings.TrimSpace("sbs-tui " + ShellJoin(a.Args)))}
	s := a.session
	if s == nil {
		return f
	}
	e := s.Env
	f.Environment = e.Name
	f.Hosts = map[string]string{}
	for k, v := range map[string]string{"maskinporten_issuer": e.MaskinportenIssuer, "altinn_platform": e.AltinnPlatform,
		"altinn_approval_ui": e.AltinnApprovalUI, "selfservice": e.SelfService, "skatteetaten": e.Skatteetaten} {
		if v != "" {
			f.Hosts[k] = v
		}
	}
	if p := s.Profile; p != nil {
		pf := &support.ProfileFacts{Name: s.ProfileName, ClientID: p.ClientID, OrgNo: p.OrgNo, Scopes: p.Scopes, Kid: p.Key.Kid, Alg: p.Alg}
		switch {
		case p.Key.PKCS12 != "":
			pf.KeyKind = "PKCS#12 business certificate (x5c)" //i18n:ignore the HAR's facts are for the service desk, in English
		case p.Key.JWK != "":
			pf.KeyKind = "JWK file" //i18n:ignore the HAR's facts are for the service desk, in English
		case p.Key.PEM != "":
			pf.KeyKind = "PEM file" //i18n:ignore the HAR's facts are for the service desk, in English
		}
		f.Profile = pf
	}
	if off, ok := s.MP.ClockOffset(); ok {
		f.ClockOffset = off.Round(time.Second).String() + " (server minus local)" //i18n:ignore the HAR's facts are for the service desk, in English
	}
	return f
}

// commandSeparator joins the commands of a record that several commands appended to.
const commandSeparator = " ; "

// WriteRecord writes the session's HTTP record as HAR to --record's file (0600, atomically).
// When the file already holds a HAR, this session's exchanges are appended to it, so that a
// sequence of commands makes one record.
func (a *App) WriteRecord() error {
	if a.recordPath == "" {
		return nil
	}
	exchanges := a.Record.Exchanges()
	facts := a.Facts()
	earlierFacts, earlier, found, err := earlierRecord(a.Text(), a.recordPath)
	if err != nil {
		return err
	}
	if found {
		exchanges = append(earlier, exchanges...)
		if earlierFacts != nil {
			this := facts.Command
			if a.session == nil {
				facts = earlierFacts // this command had no session: keep what the earlier ones knew
			}
			// The record names every command it holds, in order.
			if earlierFacts.Command != "" {
				facts.Command = earlierFacts.Command + commandSeparator + this
			}
		}
		for i := range exchanges {
			exchanges[i].ID = i + 1
		}
	}
	var buf bytes.Buffer
	if err := support.WriteHAR(&buf, support.NewHAR(facts, exchanges)); err != nil {
		return fmt.Errorf("%s: %w", a.T("cli.err.record_write"), err)
	}
	if err := safefile.Write(a.recordPath, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%s: %w", a.T("cli.err.record_write_to", "Path", a.recordPath), err)
	}
	fmt.Fprintln(a.Stderr, a.Text().N("cli.record_written", len(exchanges), "This", a.Record.Len(), "Path", a.recordPath))
	return nil
}

// earlierRecord reads the HAR the --record file at path already holds (found is false when
// there is none to add to: no file, or a device or pipe, which is written to as it is). A file
// that is not a HAR is an error before the command runs (CheckRecord) and again when it ends.
func earlierRecord(p *i18n.Printer, path string) (*support.Facts, []httpx.Exchange, bool, error) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil, nil, false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, false, nil
	}
	defer f.Close()
	facts, exchanges, err := support.ReadHAR(f)
	if err != nil {
		return nil, nil, false, errors.New(p.T("cli.err.record_not_har", "Path", path, "Err", err.Error()))
	}
	return facts, exchanges, true, nil
}

// CheckRecord refuses, before anything runs, a --record file that cannot be added to: a
// command that changes something must not do its work and then fail to record it.
func (a *App) CheckRecord() error {
	if a.recordPath == "" {
		return nil
	}
	if _, _, _, err := earlierRecord(a.Text(), a.recordPath); err != nil {
		return UsageError{err}
	}
	return nil
}

// SelfCommand is how to call this tool again with the same configuration, profile and
// environment: the first words of the commands a curl recipe or a report gives.
func (a *App) SelfCommand() string {
	parts := []string{"sbs-tui"}
	if a.ConfigPath != "" {
		p := a.ConfigPath
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		parts = append(parts, "--config", ShellQuote(p))
	}
	if a.ProfileName != "" {
		parts = append(parts, "--profile", ShellQuote(a.ProfileName))
	}
	if a.EnvName != "" {
		parts = append(parts, "--env", ShellQuote(a.EnvName))
	}
	return strings.Join(parts, " ")
}

// ShellQuote quotes s for a POSIX shell (bare when it is plainly safe).
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ShellJoin quotes each argument and joins them with spaces.
func ShellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = ShellQuote(a)
	}
	return strings.Join(q, " ")
}

// Plural is "1 exchange" or "3 exchanges".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
