package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/support"
)

// facts describes this session for a HAR file or a report: environment, hosts, profile
// identity (never the key) and clock offset.
func (a *app) facts() *support.Facts {
	f := &support.Facts{Tool: "sbs-tui " + support.ToolVersion(), Recorded: a.now(), Reproduce: a.selfCommand(),
		Command: httpx.RedactText(strings.TrimSpace("sbs-tui " + shellJoin(a.args)))}
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
			pf.KeyKind = "PKCS#12 business certificate (x5c)"
		case p.Key.JWK != "":
			pf.KeyKind = "JWK file"
		case p.Key.PEM != "":
			pf.KeyKind = "PEM file"
		}
		f.Profile = pf
	}
	if off, ok := s.MP.ClockOffset(); ok {
		f.ClockOffset = off.Round(time.Second).String() + " (server minus local)"
	}
	return f
}

// commandSeparator joins the commands of a record that several commands appended to.
const commandSeparator = " ; "

// writeRecord writes the session's HTTP record as HAR to --record's file (0600, atomically).
// When the file already holds a HAR, this session's exchanges are appended to it, so that a
// sequence of commands makes one record.
func (a *app) writeRecord() error {
	if a.recordPath == "" {
		return nil
	}
	exchanges := a.record.Exchanges()
	facts := a.facts()
	if f, err := os.Open(a.recordPath); err == nil {
		earlierFacts, earlier, rerr := support.ReadHAR(f)
		_ = f.Close()
		if rerr != nil {
			return fmt.Errorf("--record %s: the file exists and is not a HAR file (%v); choose another name", a.recordPath, rerr)
		}
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
		return fmt.Errorf("write the HTTP record: %w", err)
	}
	if err := safefile.Write(a.recordPath, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write the HTTP record to %s: %w", a.recordPath, err)
	}
	fmt.Fprintf(a.stderr, "HTTP record (HAR 1.2, %s, %d from this command): %s\n", plural(len(exchanges), "exchange"), a.record.Len(), a.recordPath)
	return nil
}

func (a *app) supportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "support",
		Short: "Material for a support ticket: a report of the session",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.supportReportCommand())
	return cmd
}

func (a *app) supportReportCommand() *cobra.Command {
	var harPath, out string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a Markdown report to attach to a support ticket",
		Long: `Writes one Markdown file a vendor can attach to a ticket: tool version, environment and
hosts, profile facts (client id, organisation, scopes, key id — never the key), clock offset,
the systems, requests and system users involved with their statuses, every failed exchange
with its code, explanation and trace id, and each exchange as a curl command that reproduces
it, with secrets as shell variables ($GRANT, $TOKEN) and the commands that produce them.

With --har it reports on a session recorded earlier with --record FILE. Without it, it checks
the environment now: Maskinporten's metadata (clock offset), the vendor's systems, their
requests and their system users, and reports on those exchanges.`,
		Example: `  sbs-tui --record session.har request status 5f2c…
  sbs-tui support report --har session.har
  sbs-tui support report --out ticket.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var facts *support.Facts
			var exchanges []httpx.Exchange
			if harPath != "" {
				f, err := os.Open(harPath)
				if err != nil {
					return fmt.Errorf("read the HAR file: %w", err)
				}
				facts, exchanges, err = support.ReadHAR(f)
				_ = f.Close()
				if err != nil {
					return fmt.Errorf("%s: %w", harPath, err)
				}
				if facts == nil {
					facts = &support.Facts{}
				}
				if facts.Reproduce == "" {
					facts.Reproduce = a.selfCommand()
				}
			} else {
				s, err := a.getSession(cmd.Context())
				if err != nil {
					return err
				}
				a.liveLookups(cmd.Context(), s)
				facts, exchanges = a.facts(), a.record.Exchanges()
			}
			if out == "" {
				out = "sbs-tui-report-" + a.now().UTC().Format("20060102-150405") + ".md"
			}
			var buf bytes.Buffer
			if err := support.WriteReport(&buf, facts, exchanges, a.now()); err != nil {
				return err
			}
			if out == "-" {
				_, err := a.stdout.Write(buf.Bytes())
				return err
			}
			if err := safefile.Write(out, buf.Bytes(), 0o600); err != nil {
				return fmt.Errorf("write the report: %w", err)
			}
			failed := 0
			for _, e := range exchanges {
				if support.Describe(e).Failed {
					failed++
				}
			}
			fmt.Fprintf(a.stdout, "Report written: %s (%d exchanges, %d failed)\n", out, len(exchanges), failed)
			return nil
		},
	}
	cmd.Flags().StringVar(&harPath, "har", "", "report on a HAR file written by --record")
	cmd.Flags().StringVar(&out, "out", "", "the report file (default sbs-tui-report-<time>.md; - for standard output)")
	return cmd
}

// liveLookups asks the servers what a report needs; failures are part of the report.
func (a *app) liveLookups(ctx context.Context, s *steps.Session) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	_ = steps.CheckEnvironment(ctx, s)
	systems, err := s.Altinn().ListSystems(ctx)
	if err != nil {
		fmt.Fprintf(a.stderr, "note: %v\n", firstLine(err))
		return
	}
	for i, sys := range systems {
		if i == 10 {
			fmt.Fprintf(a.stderr, "note: only the first 10 of %d systems are looked up\n", len(systems))
			break
		}
		for _, agent := range []bool{false, true} {
			if _, err := s.Altinn().ListRequests(ctx, sys.SystemID, agent); err != nil && !errors.Is(err, context.Canceled) {
				fmt.Fprintf(a.stderr, "note: %v\n", firstLine(err))
			}
		}
		if _, err := s.Altinn().ListSystemUsers(ctx, sys.SystemID); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(a.stderr, "note: %v\n", firstLine(err))
		}
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// plural is "1 exchange" or "3 exchanges".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
