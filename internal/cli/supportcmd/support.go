package supportcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/support"
)

// NewCmd is `sbs-tui support`: material for a support ticket.
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "support",
		Short: "Material for a support ticket: a report of the session",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(supportReportCommand(a))
	return cmd
}

func supportReportCommand(a *cli.App) *cobra.Command {
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
					facts.Reproduce = a.SelfCommand()
				}
			} else {
				s, err := a.Session(cmd.Context())
				if err != nil {
					return err
				}
				liveLookups(a, cmd.Context(), s)
				facts, exchanges = a.Facts(), a.Record.Exchanges()
			}
			if out == "" {
				out = "sbs-tui-report-" + a.Now().UTC().Format("20060102-150405") + ".md"
			}
			var buf bytes.Buffer
			if err := support.WriteReportIn(&buf, a.Text(), facts, exchanges, a.Now()); err != nil {
				return err
			}
			if out == "-" {
				_, err := a.Stdout.Write(buf.Bytes())
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
			fmt.Fprintln(a.Stdout, a.T("support.cmd.written", "Path", out, "Exchanges", len(exchanges), "Failed", failed))
			return nil
		},
	}
	cmd.Flags().StringVar(&harPath, "har", "", "report on a HAR file written by --record")
	cmd.Flags().StringVar(&out, "out", "", "the report file (default sbs-tui-report-<time>.md; - for standard output)")
	return cmd
}

// liveLookups asks the servers what a report needs; failures are part of the report.
func liveLookups(a *cli.App, ctx context.Context, s *steps.Session) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	_ = steps.CheckEnvironment(ctx, s)
	systems, err := s.Altinn().ListSystems(ctx)
	if err != nil {
		fmt.Fprintln(a.Stderr, a.T("support.cmd.note", "Text", firstLine(err)))
		return
	}
	for i, sys := range systems {
		if i == 10 {
			fmt.Fprintln(a.Stderr, a.T("support.cmd.first_systems", "Count", len(systems)))
			break
		}
		for _, agent := range []bool{false, true} {
			if _, err := s.Altinn().ListRequests(ctx, sys.SystemID, agent); err != nil && !errors.Is(err, context.Canceled) {
				fmt.Fprintln(a.Stderr, a.T("support.cmd.note", "Text", firstLine(err)))
			}
		}
		if _, err := s.Altinn().ListSystemUsers(ctx, sys.SystemID); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(a.Stderr, a.T("support.cmd.note", "Text", firstLine(err)))
		}
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
