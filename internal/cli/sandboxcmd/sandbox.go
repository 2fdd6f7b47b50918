package sandboxcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
)

// NewCmd is `sbs-tui sandbox`: serving the sandbox, deciding as its customers, and managing
// its registries, faults and organisations.
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run and manage the local emulator of Maskinporten, Altinn and Skatteetaten",
	}
	cmd.AddCommand(sandboxServeCommand(a), sandboxRotateCommand(a), sandboxApproveCommand(a), sandboxEscalateCommand(a),
		sandboxResourceCommand(a), sandboxScopeCommand(a), sandboxFaultsCommand(a), sandboxClientsCommand(a),
		sandboxOrgsCommand(a), sandboxTermsCommand(a))
	return cmd
}

func sandboxServeCommand(a *cli.App) *cobra.Command {
	var addr, data string
	var strict bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox and write a ready-to-use config for its vendor",
		Long: `Serves the sandbox of a data directory at the directory's one address, recorded in
DIR/address.json on first use (127.0.0.1:8459 for the default directory, a free loopback
port for any other), so its URLs and tokens stay valid across restarts. Every command on the
same directory uses this server while it runs.

On first start in a data directory it creates a vendor (organisation 974761076) with a
Maskinporten client holding the scopes a vendor needs and a generated key, and writes
DIR/sbs-tui.yaml, a config for that vendor on this directory. The first line of output is
the base URL. --addr moves the directory to another address: URLs and tokens issued before
no longer resolve. A second serve on the same directory stops with an error; while a
command or the wizard serves it for now, serve waits for it to finish. Stops cleanly on
Ctrl+C or SIGTERM.`,
		Annotations: map[string]string{cli.NoTimeoutAnnotation: "true"},
		Example: `  sbs-tui sandbox serve --data ./sandbox
  sbs-tui --config ./sandbox/sbs-tui.yaml token --scope altinn:authentication/systemregister.write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" {
				data = os.Getenv(cli.SandboxDataVar)
			}
			dir, err := cli.DefaultDataDir(data)
			if err != nil {
				return err
			}
			if addr != "" && !sandbox.IsLoopback(addr) {
				fmt.Fprintf(a.Stderr, "warning: %s is not a loopback address: the sandbox, its signing of tokens and its approval page are then reachable from the network\n", addr)
			}
			sb, err := sandbox.Open(sandbox.Options{DataDir: dir, StrictClaims: strict, Logger: a.Log.With("component", "sandbox")})
			if err != nil {
				return err
			}
			defer sb.Close()
			served, err := sb.ServeDir(cmd.Context(), sandbox.ServeOptions{Addr: addr, Preferred: cli.PreferredAddr(dir),
				Waiting: func(h *sandbox.Health) {
					fmt.Fprintf(a.Stderr, "another sbs-tui command (process %d) serves %s for now; waiting for it to finish…\n", h.PID, dir)
				}})
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return nil
				}
				return err
			}
			boot, err := sb.Bootstrap()
			if err != nil {
				return err
			}
			cfgPath := filepath.Join(dir, "sbs-tui.yaml")
			if err := cli.WriteSandboxConfig(cfgPath, boot); err != nil {
				return err
			}
			fmt.Fprintln(a.Stdout, served.BaseURL)
			if served.Moved != "" {
				fmt.Fprintf(a.Stderr, "warning: the sandbox in %s moved from %s to %s: URLs and tokens issued before (issuer, confirmUrls, saved API URLs) no longer resolve\n", dir, served.Moved, served.BaseURL)
			}
			fmt.Fprintf(a.Stdout, "listening on %s\n", served.Addr())
			fmt.Fprintf(a.Stdout, "sandbox data in %s\n", dir)
			fmt.Fprintf(a.Stdout, "vendor %s, Maskinporten client %s\n", boot.VendorOrg, boot.ClientID)
			fmt.Fprintf(a.Stdout, "config written: %s\n", cfgPath)
			fmt.Fprintf(a.Stdout, "try: sbs-tui --config %s doctor\n", cfgPath)
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := served.Close(ctx); err != nil {
				return fmt.Errorf("stop sandbox: %w", err)
			}
			fmt.Fprintln(a.Stderr, "sandbox stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "move the data directory's sandbox to this address (default: the recorded one, "+sandbox.DefaultAddr+" for the default directory)")
	cmd.Flags().StringVar(&data, "data", "", "data directory (default $"+cli.SandboxDataVar+", else "+config.DefaultDataDir()+")")
	cmd.Flags().BoolVar(&strict, "strict-claims", false, "refuse grants with undocumented claims (sub, nbf), as Digdir's docs say Maskinporten may")
	return cmd
}

func sandboxRotateCommand(a *cli.App) *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "rotate-key",
		Short: "Rotate the sandbox Maskinporten's token signing key (the old one stays in the JWKS)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := cli.DefaultDataDir(data)
			if err != nil {
				return err
			}
			sb, err := sandbox.Open(sandbox.Options{DataDir: dir})
			if err != nil {
				return err
			}
			kid, err := sb.RotateSigningKey()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "new signing key %s\n", kid)
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "data directory (default "+config.DefaultDataDir()+")")
	return cmd
}

func sandboxApproveCommand(a *cli.App) *cobra.Command {
	var data, systemID string
	var reject, asJSON, all bool
	var fraction, rejectFraction float64
	var seed uint64
	cmd := &cobra.Command{
		Use:   "approve (REQUEST_ID | --all [--fraction F] [--reject-fraction R])",
		Short: "Approve (or --reject) a system-user request or change request as the customer would; --all decides many",
		Long: `Decides a request in the sandbox the way the customer does on the confirmUrl page:
approval creates the system user (with the request's id), rejection marks the request
Rejected. Works on the sandbox's data directory, so no server needs to run.

With --all it decides every waiting (New) request at once, or with --fraction and
--reject-fraction a random share of them (the rest stay New), so that a status board with
thousands of customers looks the way it does after a mail-out.`,
		Example: `  sbs-tui sandbox approve 0b1c…            # one request
  sbs-tui sandbox approve --all             # every waiting request
  sbs-tui sandbox approve --all --fraction 0.6 --reject-fraction 0.1`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case all && len(args) > 0:
				return cli.Usagef("give a request id or --all, not both")
			case !all && len(args) != 1:
				return cli.Usagef("give the request id (or --all)")
			case !all && (cmd.Flags().Changed("fraction") || cmd.Flags().Changed("reject-fraction") || systemID != ""):
				return cli.Usagef("--fraction, --reject-fraction and --system go with --all")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if all {
				return decideAll(a, sb, sandbox.DecideAllOptions{SystemID: systemID, Approve: fraction, Reject: rejectFraction, Seed: seed}, reject, asJSON)
			}
			decide := sb.Approve
			if reject {
				decide = sb.Reject
			}
			q, err := decide(args[0])
			var de *authentication.DecisionError
			if errors.As(err, &de) && de.Code == "AUTH-00010" {
				// Not a request: perhaps a change request.
				decideChange := sb.ApproveChange
				if reject {
					decideChange = sb.RejectChange
				}
				cr, cerr := decideChange(args[0])
				if cerr == nil {
					if asJSON {
						return a.PrintJSON(map[string]any{"ok": true, "id": cr.ID, "status": cr.Status, "change_request": true})
					}
					fmt.Fprintf(a.Stdout, "Change request %s is now %s.\n", cr.ID, cr.Status)
					if !reject {
						fmt.Fprintf(a.Stdout, "System user %s has the new packages and rights.\n", cr.SystemUserID)
					}
					return nil
				}
				if !errors.As(cerr, &de) || de.Code != "AUTH-00010" {
					err = cerr
				}
			}
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("cannot decide request %s: %w", args[0], err))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": q.ID, "status": q.Status})
			}
			fmt.Fprintf(a.Stdout, "Request %s is now %s.\n", q.ID, q.Status)
			if !reject {
				fmt.Fprintf(a.Stdout, "System user %s exists for %s.\n", q.ID, q.PartyOrgNo)
				if q.Agent {
					fmt.Fprintf(a.Stdout, "It is an agent system user: it acts only for the clients %s adds to it. As that facilitator:\n  sbs-tui sandbox clients list --agent %s --available\n  sbs-tui sandbox clients add --agent %s --client ORGNO\n", q.PartyOrgNo, q.ID, q.ID)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	cmd.Flags().BoolVar(&reject, "reject", false, "reject instead of approve (with --all: reject every waiting request)")
	cmd.Flags().BoolVar(&all, "all", false, "decide every waiting request (or the fractions given)")
	cmd.Flags().Float64Var(&fraction, "fraction", 1, "with --all: the share of waiting requests to approve (0–1)")
	cmd.Flags().Float64Var(&rejectFraction, "reject-fraction", 0, "with --all: the share of waiting requests to reject (0–1)")
	cmd.Flags().StringVar(&systemID, "system", "", "with --all: only this system's requests")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "with --all: picks which requests get which decision")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// sandboxDataDir is --data, else the sandbox profile's sandbox_data, else the embedded default.
func sandboxDataDir(a *cli.App, flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if file, err := a.LoadConfig(); err == nil {
		if p, _, ok, err := file.Profile(a.ProfileName); err == nil && ok && p.Env == config.EnvSandbox && p.SandboxData != "" {
			return filepath.Abs(file.Resolve(p.SandboxData))
		}
	}
	if d := os.Getenv(cli.SandboxDataVar); d != "" {
		return filepath.Abs(d)
	}
	return cli.DefaultDataDir("")
}
