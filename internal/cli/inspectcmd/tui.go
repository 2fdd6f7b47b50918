package inspectcmd

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui"
)

// runInspectTUI is `inspect` on a terminal with nothing piped in: the paste box.
func runInspectTUI(a *cli.App, cmd *cobra.Command) error {
	defer a.HoldStderr()() // warnings of a sandbox set up for `v` wait for the end
	verifier := func(ctx context.Context, input string) (*steps.Session, error) { return verifierFor(a, ctx, input) }
	ctx := a.Unbounded(cmd) // the paste box stays open until the user closes it
	_, err := tea.NewProgram(ui.NewInspectApp(a.UIEnv(ctx), verifier), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(a.Stdin), tea.WithOutput(a.Stdout)).Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}
