package inspectcmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// NewExplainCmd is `sbs-tui explain`: error codes and pasted error bodies explained.
func NewExplainCmd(a *cli.App) *cobra.Command {
	var list, asJSON bool
	cmd := &cobra.Command{
		Use:     "explain CODE... | explain - | explain --list", //i18n:ignore cobra's Use line: the command's syntax
		Short:   a.T("cliinspect.explain.short"),
		Long:    a.T("cliinspect.explain.long"),
		Example: a.T("cliinspect.explain.example"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				if len(args) > 0 {
					return cli.UsageError{Err: errors.New(a.T("explain.cmd.list_no_args"))}
				}
				return explainList(a, asJSON)
			}
			if len(args) == 0 {
				return cli.UsageError{Err: errors.New(a.T("explain.cmd.no_args"))}
			}
			if len(args) == 1 && (args[0] == "-" || strings.HasPrefix(strings.TrimSpace(args[0]), "{")) {
				body := args[0]
				if body == "-" {
					in, err := readInput(a, "-")
					if err != nil {
						return a.MaybeJSON(asJSON, err)
					}
					body = in
				}
				b, err := explain.ParseBody([]byte(body))
				if err != nil {
					if asJSON {
						return a.MaybeJSON(true, fmt.Errorf("cannot explain the body: %w", err)) //i18n:ignore --json stays English
					}
					return localError{err, a.T("explain.cmd.cannot_explain", "Err", bodyErrorText(a, err))}
				}
				if asJSON {
					return a.PrintJSON(map[string]any{"ok": true, "body": b})
				}
				fmt.Fprint(a.Stdout, termsafe.Clean(explain.FormatBodyIn(a.Text(), b)))
				return nil
			}
			var entries []explain.Entry
			for _, q := range args {
				e, err := explain.Lookup(q)
				if err != nil {
					if asJSON {
						return a.MaybeJSON(true, cli.UsageError{Err: err})
					}
					return cli.UsageError{Err: lookupError(a, err)}
				}
				entries = append(entries, e)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "entries": entries})
			}
			for i, e := range entries {
				if i > 0 {
					fmt.Fprintln(a.Stdout)
				}
				fmt.Fprint(a.Stdout, explain.FormatIn(a.Text(), e))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, a.T("cliinspect.explain.flag_list"))
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("cliinspect.explain.flag_json"))
	return cmd
}

func explainList(a *cli.App, asJSON bool) error {
	all := explain.All()
	if asJSON {
		return a.PrintJSON(map[string]any{"ok": true, "entries": all})
	}
	st := a.Styles()
	source := ""
	for _, e := range all {
		if e.Source != source {
			if source != "" {
				fmt.Fprintln(a.Stdout)
			}
			source = e.Source
			fmt.Fprintln(a.Stdout, st.Bold.Render(explain.SourceName(a.Text(), source)))
		}
		fmt.Fprintf(a.Stdout, "  %-22s %3d  %s\n", e.Name(), e.Status, explain.Localize(e, a.Text()).Means)
	}
	return nil
}

// bodyErrorText is ParseBody's refusal in the command's language.
func bodyErrorText(a *cli.App, err error) string {
	var be *explain.BodyError
	if !errors.As(err, &be) {
		return err.Error()
	}
	return a.T("domain.body."+be.Rule, //i18n:ignore a message id built from the rule
		"Size", be.Size, "Max", explain.MaxBody, "Detail", be.Detail)
}

// lookupError says Lookup's error in the command's language.
func lookupError(a *cli.App, err error) error {
	var nf *explain.NotFoundError
	switch {
	case errors.As(err, &nf):
		return localError{err, nf.MessageIn(a.Text())}
	case errors.Is(err, explain.ErrNoCode):
		return localError{err, a.T("explain.cmd.no_code")}
	}
	return err
}

// localError is err said in the user's language (Unwrap keeps the original for errors.Is/As).
type localError struct {
	err error
	msg string
}

func (e localError) Error() string { return e.msg }
func (e localError) Unwrap() error { return e.err }
