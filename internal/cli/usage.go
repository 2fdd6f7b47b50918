package cli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// NoArgs takes no arguments. On a command with commands below it an argument is a mistyped
// command, said with cobra's suggestions; cobra's own NoArgs says both in English only, and
// calls a leaf command's argument an "unknown command" too.
func (a *App) NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return unknownCommand(a.Text(), cmd, args[0])
	}
	return Usagef("%s", a.T("cli.err.no_args", "Command", cmd.CommandPath(), "Arg", strconv.Quote(args[0])))
}

// MaxArgs takes at most n arguments, and says hint (a usage error, in the user's language)
// otherwise.
func (a *App) MaxArgs(n int, hint string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return Usagef("%s", a.Text().N("cli.err.got_args", len(args), "Hint", hint))
		}
		return nil
	}
}

// CheckGroup refuses a mistyped command under a command group (`sbs-tui request crate`). For
// a group that runs nothing itself cobra prints the group's help and exits 0, so a script
// with a typo would carry on as if the command had run. The group's flags are parsed here to
// tell their values from the command name; the groups hold no flags that add up when parsed
// twice (cobra parses them again), and a flag error is left to cobra to report.
// It returns the group, for the error's pointer to its help.
func (a *App) CheckGroup(root *cobra.Command, args []string) (*cobra.Command, error) {
	// The commands cobra adds as it executes (help, completion) are groups to check too.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	cmd, rest, err := root.Find(args)
	if err != nil || cmd.Runnable() || !cmd.HasSubCommands() {
		return nil, nil
	}
	if cmd.ParseFlags(rest) != nil {
		return nil, nil
	}
	if pos := cmd.Flags().Args(); len(pos) > 0 && pos[0] != "help" {
		return cmd, unknownCommand(a.Text(), cmd, pos[0])
	}
	return nil, nil
}

func unknownCommand(p *i18n.Printer, cmd *cobra.Command, name string) error {
	msg := p.T("cli.err.unknown_command", "Name", strconv.Quote(name), "Command", cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, which SuggestionsFor does not apply itself
	}
	if near := cmd.SuggestionsFor(name); len(near) > 0 {
		msg += "\n" + p.T("cli.err.did_you_mean", "Names", strings.Join(near, ", "))
	}
	return Usagef("%s", msg)
}

// flagError puts pflag's errors in p's language, naming the flag as it was typed.
func flagError(p *i18n.Printer, err error) error {
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		return Usagef("%s", p.T("cli.err.unknown_flag", "Flag", typedFlag(notExist.GetSpecifiedName(), notExist.GetSpecifiedShortnames())))
	case errors.As(err, &noValue):
		return Usagef("%s", p.T("cli.err.flag_needs_value", "Flag", typedFlag(noValue.GetSpecifiedName(), noValue.GetSpecifiedShortnames())))
	case errors.As(err, &badValue):
		f := badValue.GetFlag()
		want := errors.Unwrap(badValue).Error()                 // the parser's own words, for a type the catalogue lacks
		if id := "cli.flag_type." + f.Value.Type(); p.Has(id) { //i18n:ignore an id prefix
			want = p.T(id)
		}
		return Usagef("%s", p.T("cli.err.flag_bad_value", "Flag", "--"+f.Name, "Value", strconv.Quote(badValue.GetValue()), "Want", want))
	case errors.As(err, &syntax):
		return Usagef("%s", p.T("cli.err.flag_syntax", "Flag", syntax.GetSpecifiedFlag()))
	}
	return UsageError{err}
}

// typedFlag is a flag as the user typed it: --name, or -x for a shorthand.
func typedFlag(name, shorthands string) string {
	if shorthands != "" {
		return "-" + name[:1]
	}
	return "--" + name
}
