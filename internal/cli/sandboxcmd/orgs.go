package sandboxcmd

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The sandbox's many-customers commands: synthetic organisations and deciding many requests.

func sandboxOrgsCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "orgs", Short: "Manage the sandbox's Enhetsregisteret stand-in (customers to send requests to)"}
	var data, csvPath, role, holder string
	var count int
	var asJSON bool
	add := &cobra.Command{
		Use:   "add --count N [--csv FILE] [--role REGN|REVI|FFOR --holder ORGNO]",
		Short: "Add N synthetic organisations with valid organisation numbers and names",
		Long: `Adds N synthetic organisations to the sandbox's Enhetsregisteret stand-in: valid MOD11
organisation numbers in the 32xxxxxxx series, with names in the style of Tenor's test data.
Requests can only be sent to registered organisations, so this is how a sandbox gets
enough customers for 'sbs-tui request bulk' and 'sbs-tui board'. With --csv it also
writes the new numbers as a customers file (column org) ready for 'request bulk'.
With --role and --holder the facilitator --holder gets that Enhetsregisteret role for each
new organisation, so they can be added as clients of its agent system users
('sandbox clients add').`,
		Example: `  sbs-tui sandbox orgs add --count 1000 --csv customers.csv
  sbs-tui request bulk --file customers.csv
  sbs-tui sandbox orgs add --count 1 --role REGN --holder 313367002`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if count < 1 || count > sandbox.MaxGeneratedOrgs {
				return cli.Usagef("--count must be between 1 and %d", sandbox.MaxGeneratedOrgs)
			}
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if (role == "") != (holder == "") {
				return cli.Usagef("--role and --holder go together (e.g. --role REGN --holder 311000004)")
			}
			var orgs []world.Org
			if role != "" {
				orgs, err = sb.AddOrgsWithRole(count, strings.ToUpper(role), holder)
			} else {
				orgs, err = sb.AddOrgs(count)
			}
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("add organisations: %w", err))
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
					return a.MaybeJSON(asJSON, fmt.Errorf("write %s: %w", csvPath, err))
				}
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "added": len(orgs), "orgs": orgs, "csv": csvPath})
			}
			for _, o := range orgs { // one number a line, for scripts; the summary last
				fmt.Fprintln(a.Stdout, o.OrgNo)
			}
			fmt.Fprintf(a.Stdout, "Added %d organisations (%s %s … %s %s).\n", len(orgs), orgs[0].OrgNo, orgs[0].Name,
				orgs[len(orgs)-1].OrgNo, orgs[len(orgs)-1].Name)
			if csvPath != "" {
				fmt.Fprintf(a.Stdout, "Customers file: %s (send them requests with: sbs-tui request bulk --file %s)\n", csvPath, csvPath)
			}
			return nil
		},
	}
	add.Flags().IntVar(&count, "count", 0, "how many organisations to add (required)")
	add.Flags().StringVar(&role, "role", "", "give --holder this Enhetsregisteret role for each new organisation: REGN, REVI or FFOR (clients for its agent system users)")
	add.Flags().StringVar(&holder, "holder", "", "the organisation that holds --role (the facilitator, e.g. the accounting firm)")
	add.Flags().StringVar(&csvPath, "csv", "", "also write the new organisation numbers to this CSV file")
	add.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	add.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(add, sandboxOrgsListCommand(a))
	return cmd
}

func sandboxOrgsListCommand(a *cli.App) *cobra.Command {
	var data string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the sandbox's organisations, one number a line",
		Long: `Lists the organisations of the sandbox's Enhetsregisteret stand-in (seeded and added), one
organisation number a line in number order, so a script can read them; --json gives an array
of {orgno, name, roles} (roles: the Enhetsregisteret roles other organisations hold for it).`,
		Example: `  sbs-tui sandbox orgs list | sed '1i org' > customers.csv
  sbs-tui request bulk --file customers.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			orgs, err := sb.ListOrgs()
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("list organisations: %w", err))
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
	list.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	list.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return list
}

func decideAll(a *cli.App, sb *sandbox.Sandbox, o sandbox.DecideAllOptions, reject, asJSON bool) error {
	if reject {
		o.Approve, o.Reject = 0, 1
	}
	if o.Approve < 0 || o.Approve > 1 || o.Reject < 0 || o.Reject > 1 || o.Approve+o.Reject > 1.0000001 {
		return cli.Usagef("--fraction and --reject-fraction must each be between 0 and 1 and add up to at most 1 (they are shares of the waiting requests)")
	}
	res, err := sb.DecideAll(o)
	if err != nil {
		return a.MaybeJSON(asJSON, fmt.Errorf("decide the waiting requests: %w", err))
	}
	if asJSON {
		return a.PrintJSON(map[string]any{"ok": true, "result": res})
	}
	if res.Waiting == 0 {
		fmt.Fprintln(a.Stdout, "No request is waiting for a decision.")
		return nil
	}
	fmt.Fprintf(a.Stdout, "%d waiting: %d approved, %d rejected, %d left New.\n", res.Waiting, res.Approved, res.Rejected, res.Left)
	if res.Refused > 0 {
		fmt.Fprintf(a.Stdout, "%d not approved: the customer already has a system user for the same system and external reference (AUTH-00004).\n", res.Refused)
	}
	return nil
}
