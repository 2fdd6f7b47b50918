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
		Short: a.T("clitools.support.short"),
		Args:  a.NoArgs,
	}
	cmd.AddCommand(supportReportCommand(a))
	return cmd
}

func supportReportCommand(a *cli.App) *cobra.Command {
	var harPath, out string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "report",
		Short:   a.T("clitools.support.report_short"),
		Long:    a.T("clitools.support.report_long"),
		Example: a.T("clitools.support.report_example"),
		Args:    a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asJSON && out == "-" {
				return cli.Usagef("%s", a.T("clitools.support.json_stdout"))
			}
			path, exchanges, err := writeReport(a, cmd, harPath, out)
			if err != nil || path == "-" {
				return a.MaybeJSON(asJSON, err)
			}
			failed := 0
			for _, e := range exchanges {
				if support.Describe(e).Failed {
					failed++
				}
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "path": path, "exchanges": len(exchanges), "failed": failed})
			}
			fmt.Fprintln(a.Stdout, a.T("support.cmd.written", "Path", path, "Exchanges", len(exchanges), "Failed", failed))
			return nil
		},
	}
	cmd.Flags().StringVar(&harPath, "har", "", a.T("clitools.support.flag_har"))
	cmd.Flags().StringVar(&out, "out", "", a.T("clitools.support.flag_out"))
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clitools.sandbox.flag.json"))
	return cmd
}

// writeReport writes the support report, from a HAR file or from this process's own session,
// to out ("-" is standard output; "" a dated file here) and returns where it went and the
// exchanges it describes.
func writeReport(a *cli.App, cmd *cobra.Command, harPath, out string) (string, []httpx.Exchange, error) {
	var facts *support.Facts
	var exchanges []httpx.Exchange
	if harPath != "" {
		f, err := os.Open(harPath)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", a.T("clitools.support.err_read_har"), err)
		}
		facts, exchanges, err = support.ReadHAR(f)
		_ = f.Close()
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", harPath, err)
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
			return "", nil, err
		}
		liveLookups(a, cmd.Context(), s)
		facts, exchanges = a.Facts(), a.Record.Exchanges()
	}
	if out == "" {
		out = "sbs-tui-report-" + a.Now().UTC().Format("20060102-150405") + ".md"
	}
	var buf bytes.Buffer
	if err := support.WriteReportIn(&buf, a.Text(), facts, exchanges, a.Now()); err != nil {
		return "", nil, err
	}
	if out == "-" {
		_, err := a.Stdout.Write(buf.Bytes())
		return out, exchanges, err
	}
	if err := safefile.Write(out, buf.Bytes(), 0o600); err != nil {
		return "", nil, fmt.Errorf("%s: %w", a.T("clitools.support.err_write"), err)
	}
	return out, exchanges, nil
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
