package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func (a *app) sandboxCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run and manage the local emulator of Maskinporten, Altinn and Skatteetaten",
	}
	cmd.AddCommand(a.sandboxServeCommand(), a.sandboxRotateCommand(), a.sandboxApproveCommand(),
		a.sandboxResourceCommand(), a.sandboxScopeCommand(), a.sandboxFaultsCommand(), a.sandboxClientsCommand(),
		a.sandboxOrgsCommand(), a.sandboxTermsCommand())
	return cmd
}

func defaultDataDir(dir string) (string, error) {
	if dir == "" {
		dir = config.DefaultDataDir()
	}
	return filepath.Abs(dir)
}

func (a *app) sandboxServeCommand() *cobra.Command {
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
		Annotations: map[string]string{noTimeoutAnnotation: "true"},
		Example: `  sbs-tui sandbox serve --data ./sandbox
  sbs-tui --config ./sandbox/sbs-tui.yaml token --scope altinn:authentication/systemregister.write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" {
				data = os.Getenv(sandboxDataVar)
			}
			dir, err := defaultDataDir(data)
			if err != nil {
				return err
			}
			if addr != "" && !sandbox.IsLoopback(addr) {
				fmt.Fprintf(a.stderr, "warning: %s is not a loopback address: the sandbox, its signing of tokens and its approval page are then reachable from the network\n", addr)
			}
			sb, err := sandbox.Open(sandbox.Options{DataDir: dir, StrictClaims: strict, Logger: a.log.With("component", "sandbox")})
			if err != nil {
				return err
			}
			defer sb.Close()
			served, err := sb.ServeDir(cmd.Context(), sandbox.ServeOptions{Addr: addr, Preferred: preferredAddr(dir),
				Waiting: func(h *sandbox.Health) {
					fmt.Fprintf(a.stderr, "another sbs-tui command (process %d) serves %s for now; waiting for it to finish…\n", h.PID, dir)
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
			if err := writeSandboxConfig(cfgPath, boot); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, served.BaseURL)
			if served.Moved != "" {
				fmt.Fprintf(a.stderr, "warning: the sandbox in %s moved from %s to %s: URLs and tokens issued before (issuer, confirmUrls, saved API URLs) no longer resolve\n", dir, served.Moved, served.BaseURL)
			}
			fmt.Fprintf(a.stdout, "listening on %s\n", served.Addr())
			fmt.Fprintf(a.stdout, "sandbox data in %s\n", dir)
			fmt.Fprintf(a.stdout, "vendor %s, Maskinporten client %s\n", boot.VendorOrg, boot.ClientID)
			fmt.Fprintf(a.stdout, "config written: %s\n", cfgPath)
			fmt.Fprintf(a.stdout, "try: sbs-tui --config %s doctor\n", cfgPath)
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := served.Close(ctx); err != nil {
				return fmt.Errorf("stop sandbox: %w", err)
			}
			fmt.Fprintln(a.stderr, "sandbox stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "move the data directory's sandbox to this address (default: the recorded one, "+sandbox.DefaultAddr+" for the default directory)")
	cmd.Flags().StringVar(&data, "data", "", "data directory (default $"+sandboxDataVar+", else "+config.DefaultDataDir()+")")
	cmd.Flags().BoolVar(&strict, "strict-claims", false, "refuse grants with undocumented claims (sub, nbf), as Digdir's docs say Maskinporten may")
	return cmd
}

// writeSandboxConfig writes the config for a sandbox data directory: the vendor's profile
// (default) and its self-service admin profile. It names the directory, not a URL, so it never
// points at a server that has stopped: commands attach to the directory. Key paths are
// relative to the config's directory.
func writeSandboxConfig(path string, b world.Bootstrap) error {
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if r, err := filepath.Rel(dir, p); err == nil {
			return r
		}
		return p
	}
	vendor := sandboxProfile(b, "")
	vendor.Key.PEM = rel(vendor.Key.PEM)
	vendor.SandboxData = "."
	admin := &config.Profile{
		Env: config.EnvSandbox, OrgNo: b.VendorOrg, ClientID: b.AdminClientID,
		Key: config.KeyRef{PEM: rel(b.AdminKeyFile), Kid: b.AdminKid}, Scopes: b.AdminScopes, SandboxData: ".",
	}
	f := &config.File{DefaultProfile: "sandbox", Profiles: map[string]*config.Profile{"sandbox": vendor, "sandbox-admin": admin}}
	return f.Save(path)
}

func (a *app) sandboxRotateCommand() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "rotate-key",
		Short: "Rotate the sandbox Maskinporten's token signing key (the old one stays in the JWKS)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := defaultDataDir(data)
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
			fmt.Fprintf(a.stdout, "new signing key %s\n", kid)
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "data directory (default "+config.DefaultDataDir()+")")
	return cmd
}

func (a *app) sandboxApproveCommand() *cobra.Command {
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
				return usagef("give a request id or --all, not both")
			case !all && len(args) != 1:
				return usagef("give the request id (or --all)")
			case !all && (cmd.Flags().Changed("fraction") || cmd.Flags().Changed("reject-fraction") || systemID != ""):
				return usagef("--fraction, --reject-fraction and --system go with --all")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			sb, err := a.openSandbox(data)
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			if all {
				return a.decideAll(sb, sandbox.DecideAllOptions{SystemID: systemID, Approve: fraction, Reject: rejectFraction, Seed: seed}, reject, asJSON)
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
						return a.printJSON(map[string]any{"ok": true, "id": cr.ID, "status": cr.Status, "change_request": true})
					}
					fmt.Fprintf(a.stdout, "Change request %s is now %s.\n", cr.ID, cr.Status)
					if !reject {
						fmt.Fprintf(a.stdout, "System user %s has the new packages and rights.\n", cr.SystemUserID)
					}
					return nil
				}
				if !errors.As(cerr, &de) || de.Code != "AUTH-00010" {
					err = cerr
				}
			}
			if err != nil {
				return a.maybeJSON(asJSON, fmt.Errorf("cannot decide request %s: %w", args[0], err))
			}
			if asJSON {
				return a.printJSON(map[string]any{"ok": true, "id": q.ID, "status": q.Status})
			}
			fmt.Fprintf(a.stdout, "Request %s is now %s.\n", q.ID, q.Status)
			if !reject {
				fmt.Fprintf(a.stdout, "System user %s exists for %s.\n", q.ID, q.PartyOrgNo)
				if q.Agent {
					fmt.Fprintf(a.stdout, "It is an agent system user: it acts only for the clients %s adds to it. As that facilitator:\n  sbs-tui sandbox clients list --agent %s --available\n  sbs-tui sandbox clients add --agent %s --client ORGNO\n", q.PartyOrgNo, q.ID, q.ID)
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
func (a *app) sandboxDataDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if file, err := a.loadConfig(); err == nil {
		if p, _, ok, err := file.Profile(a.profile); err == nil && ok && p.Env == config.EnvSandbox && p.SandboxData != "" {
			return filepath.Abs(file.Resolve(p.SandboxData))
		}
	}
	if d := os.Getenv(sandboxDataVar); d != "" {
		return filepath.Abs(d)
	}
	return defaultDataDir("")
}
