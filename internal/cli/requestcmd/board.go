package requestcmd

import (
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/board"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// NewBoardCmd is `sbs-tui board`: the live status board of a system's customers.
func NewBoardCmd(a *cli.App) *cobra.Command {
	var systemID, qrMode string
	cmd := &cobra.Command{
		Use:   "board [--system ID]",
		Short: "A live status board of every customer's request and system user",
		Long: `A full-screen table of your system's customers: organisation number, name (from the
register), request type, status, age and external reference, with counts per status. It
refreshes by itself, more slowly while nothing changes (R refreshes now).

  /  filter (organisation number, name, status, reference)   s / S  sort / reverse
  enter  the row's confirmUrl as a QR code   c  copy it   o  open it in a browser
  r  delete a rejected or timed-out request and send it again
  a / x  in the sandbox: approve or reject as the customer

Send many requests at once with 'sbs-tui request bulk'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			mode, err := qr.ParseMode(qrMode)
			if err != nil {
				return cli.UsageError{Err: err}
			}
			if a.LineMode() {
				return cli.Usagef("the board needs a terminal; for scripts use 'sbs-tui request status' or 'sbs-tui users list --json'")
			}
			ctx := cmd.Context()
			s, err := a.Session(ctx)
			if err != nil {
				return err
			}
			sys, err := steps.ResolveSystem(ctx, s, systemID)
			if err != nil {
				return a.ReportAltinnError(false, err)
			}
			out := termenv.NewOutput(a.Stdout)
			deps := board.SessionDeps(s, sys.ID, func(text string) error { out.Copy(text); return nil }, cli.OpenBrowser)
			m := board.New(deps, board.Options{SystemID: sys.ID, EnvName: s.Env.Name, Renderer: a.Renderer, QR: mode, Base: ctx, Text: a.Text()})
			_, err = tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(a.Stdin), tea.WithOutput(a.Stdout)).Run()
			if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return fmt.Errorf("the board stopped: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&systemID, "system", "", "the system whose customers to show (needed when your organisation has several)")
	cmd.Flags().StringVar(&qrMode, "qr", "auto", "QR code drawing: auto, half, full or off")
	return cmd
}
