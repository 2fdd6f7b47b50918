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
		Use:   "board [--system ID]", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.board.short"),
		Long:  a.T("clirequest.board.long"),
		Args:  a.NoArgs,
		// A board is followed for as long as the user likes: --timeout would close it.
		Annotations: map[string]string{cli.NoTimeoutAnnotation: "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			mode, err := qr.ParseMode(qrMode)
			if err != nil {
				return cli.UsageError{Err: err}
			}
			if a.LineMode() {
				return cli.Usagef("%s", a.T("clirequest.board.needs_terminal"))
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
				return fmt.Errorf("%s: %w", a.T("clirequest.board.stopped"), err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&systemID, "system", "", a.T("clirequest.board.flag.system"))
	cmd.Flags().StringVar(&qrMode, "qr", "auto", a.T("clirequest.board.flag.qr"))
	return cmd
}
