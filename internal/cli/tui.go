package cli

import (
	"context"

	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// The CLI's full-screen programs (the wizard, inspect's paste box) start from these; they are
// the CLI's only references to the UI's shared kit (Env, Flow, keys and styles).

// UIStyles are the UI's styles on the command's renderer.
func (a *App) UIStyles() kit.Styles { return kit.NewStyles(a.Renderer) }

// UIEnv is a UI environment with the command's styles, the default keys, the App's clock,
// ctx as the base of its calls and a fresh flow; the caller adds what its program needs.
func (a *App) UIEnv(ctx context.Context) *kit.Env {
	return &kit.Env{Styles: a.UIStyles(), Keys: kit.DefaultKeys(a.Text()), Now: a.Now, Base: ctx, Flow: &kit.Flow{}, Text: a.Text()}
}
