package sandboxcmd

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The sandbox's many-customers commands: synthetic organisations and deciding many requests.

func sandboxOrgsCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "orgs", Short: a.T("clitools.sandbox.orgs.short")}
	var data, csvPath, role, holder string
	var count int
	var asJSON bool
	add := &cobra.Command{
		Use:     "add --count N [--csv FILE] [--role REGN|REVI|FFOR --holder ORGNO]", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.orgs.add_short"),
		Long:    a.T("clitools.sandbox.orgs.add_long"),
		Example: a.T("clitools.sandbox.orgs.add_example"),
		Args:    a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if count < 1 || count > sandbox.MaxGeneratedOrgs {
				return cli.Usagef("%s", a.T("clitools.sandbox.orgs.count_range", "Max", sandbox.MaxGeneratedOrgs))
			}
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if (role == "") != (holder == "") {
				return cli.Usagef("%s", a.T("clitools.sandbox.orgs.role_holder"))
			}
			var orgs []world.Org
			if role != "" {
				orgs, err = sb.AddOrgsWithRole(count, strings.ToUpper(role), holder)
			} else {
				orgs, err = sb.AddOrgs(count)
			}
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.orgs.err_add"), err))
			}
			if csvPath != "" {
				var b bytes.Buffer
				w := csv.NewWriter(&b)
				_ = w.Write([]string{"org", "name"})
				for _, o := range orgs {
					_ = w.Write([]string{o.OrgNo, o.Name})
				}
				w.Flush()
				if err := safefile.Write(csvPath, b.Bytes(), 0o644); err != nil {
					return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.orgs.err_write", "Path", csvPath), err))
				}
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "added": len(orgs), "orgs": orgs, "csv": csvPath})
			}
			if csvPath == "" { // one number a line, for scripts; with --csv they are in the file
				for _, o := range orgs {
					fmt.Fprintln(a.Stdout, o.OrgNo)
				}
			}
			first, last := orgs[0], orgs[len(orgs)-1]
			fmt.Fprintln(a.Stdout, a.Text().N("clitools.sandbox.orgs.added", len(orgs), "Count", digits(a, len(orgs)),
				"FirstOrg", first.OrgNo, "FirstName", first.Name, "LastOrg", last.OrgNo, "LastName", last.Name))
			if csvPath != "" {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.orgs.customers_file", "Path", csvPath))
			}
			return nil
		},
	}
	add.Flags().IntVar(&count, "count", 0, a.T("clitools.sandbox.orgs.flag_count"))
	add.Flags().StringVar(&role, "role", "", a.T("clitools.sandbox.orgs.flag_role"))
	add.Flags().StringVar(&holder, "holder", "", a.T("clitools.sandbox.orgs.flag_holder"))
	add.Flags().StringVar(&csvPath, "csv", "", a.T("clitools.sandbox.orgs.flag_csv"))
	dataFlag(a, add, &data)
	jsonFlag(a, add, &asJSON)
	cmd.AddCommand(add, sandboxOrgsListCommand(a))
	return cmd
}

func sandboxOrgsListCommand(a *cli.App) *cobra.Command {
	var data string
	var asJSON bool
	list := &cobra.Command{
		Use:     "list [--json]",
		Short:   a.T("clitools.sandbox.orgs.list_short"),
		Long:    a.T("clitools.sandbox.orgs.list_long"),
		Example: a.T("clitools.sandbox.orgs.list_example"),
		Args:    a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			orgs, err := sb.ListOrgs()
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.orgs.err_list"), err))
			}
			if asJSON {
				return a.PrintJSON(orgs)
			}
			for _, o := range orgs {
				fmt.Fprintln(a.Stdout, o.OrgNo)
			}
			return nil
		},
	}
	dataFlag(a, list, &data)
	list.Flags().BoolVar(&asJSON, "json", false, a.T("clitools.sandbox.orgs.flag_json_array"))
	return list
}

func decideAll(a *cli.App, sb *sandbox.Sandbox, o sandbox.DecideAllOptions, reject, asJSON bool) error {
	if reject {
		o.Approve, o.Reject = 0, 1
	}
	if o.Approve < 0 || o.Approve > 1 || o.Reject < 0 || o.Reject > 1 || o.Approve+o.Reject > 1.0000001 {
		return cli.Usagef("%s", a.T("clitools.sandbox.approve.fractions"))
	}
	res, err := sb.DecideAll(o)
	if err != nil {
		return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.approve.err_decide_all"), err))
	}
	if asJSON {
		return a.PrintJSON(map[string]any{"ok": true, "result": res})
	}
	if res.Waiting == 0 {
		fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.none_waiting"))
		return nil
	}
	fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.decided", "Waiting", digits(a, res.Waiting), "Approved", digits(a, res.Approved),
		"Rejected", digits(a, res.Rejected), "Left", digits(a, res.Left)))
	if res.Refused > 0 {
		fmt.Fprintln(a.Stdout, a.Text().N("clitools.sandbox.approve.refused", res.Refused, "Count", digits(a, res.Refused)))
	}
	return nil
}
