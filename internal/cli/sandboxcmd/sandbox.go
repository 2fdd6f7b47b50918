package sandboxcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// NewCmd is `sbs-tui sandbox`: serving the sandbox, deciding as its customers, and managing
// its registries, faults and organisations.
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: a.T("clitools.sandbox.short"),
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
		Use:         "serve",
		Short:       a.T("clitools.sandbox.serve.short"),
		Long:        a.T("clitools.sandbox.serve.long"),
		Annotations: map[string]string{cli.NoTimeoutAnnotation: "true"},
		Example:     a.T("clitools.sandbox.serve.example"),
		Args:        a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := sandboxDataDir(a, data)
			if err != nil {
				return err
			}
			if addr != "" && !sandbox.IsLoopback(addr) {
				fmt.Fprintln(a.Stderr, a.T("clitools.sandbox.serve.not_loopback", "Addr", addr))
			}
			sb, err := sandbox.Open(sandbox.Options{DataDir: dir, StrictClaims: strict, Logger: a.Log.With("component", "sandbox")})
			if err != nil {
				return err
			}
			defer sb.Close()
			served, err := sb.ServeDir(cmd.Context(), sandbox.ServeOptions{Addr: addr, Preferred: cli.PreferredAddr(dir),
				Waiting: func(h *sandbox.Health) {
					fmt.Fprintln(a.Stderr, a.T("clitools.sandbox.serve.waiting", "PID", h.PID, "Dir", dir))
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
				fmt.Fprintln(a.Stderr, a.T("clitools.sandbox.serve.moved", "Dir", dir, "From", served.Moved, "To", served.BaseURL))
			}
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.serve.listening", "Addr", served.Addr()))
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.serve.data_in", "Dir", dir))
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.serve.vendor", "Org", boot.VendorOrg, "Client", boot.ClientID))
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.serve.config_written", "Path", cfgPath))
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.serve.try", "Path", cfgPath))
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := served.Close(ctx); err != nil {
				return fmt.Errorf("%s: %w", a.T("clitools.sandbox.serve.err_stop"), err)
			}
			fmt.Fprintln(a.Stderr, a.T("clitools.sandbox.serve.stopped"))
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", a.T("clitools.sandbox.serve.flag_addr", "Addr", sandbox.DefaultAddr))
	cmd.Flags().StringVar(&data, "data", "", a.T("clitools.sandbox.serve.flag_data", "Var", cli.SandboxDataVar, "Dir", config.DefaultDataDir()))
	cmd.Flags().BoolVar(&strict, "strict-claims", false, a.T("clitools.sandbox.serve.flag_strict"))
	return cmd
}

func sandboxRotateCommand(a *cli.App) *cobra.Command {
	var flags adminFlags
	cmd := &cobra.Command{
		Use:   "rotate-key",
		Short: a.T("clitools.sandbox.rotate.short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return onSandbox(a, flags, "kid", (*sandbox.Sandbox).RotateSigningKey, func(kid string) {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.rotate.new_key", "Kid", kid))
			})
		},
	}
	flags.register(a, cmd)
	return cmd
}

func sandboxApproveCommand(a *cli.App) *cobra.Command {
	var data, systemID string
	var reject, asJSON, all bool
	var fraction, rejectFraction float64
	var seed uint64
	cmd := &cobra.Command{
		Use:     "approve (REQUEST_ID | --all [--fraction F] [--reject-fraction R])", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.approve.short"),
		Long:    a.T("clitools.sandbox.approve.long"),
		Example: a.T("clitools.sandbox.approve.example"),
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case all && len(args) > 0:
				return cli.Usagef("%s", a.T("clitools.sandbox.approve.id_or_all"))
			case !all && len(args) != 1:
				return cli.Usagef("%s", a.T("clitools.sandbox.approve.need_id"))
			case !all && (cmd.Flags().Changed("fraction") || cmd.Flags().Changed("reject-fraction") || systemID != ""):
				return cli.Usagef("%s", a.T("clitools.sandbox.approve.all_only"))
			case !all:
				return a.OneID(a.T("clitools.sandbox.approve.need_id"))(cmd, args)
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
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.change_now", "ID", cr.ID, "Status", cr.Status))
					if !reject {
						fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.change_granted", "ID", cr.SystemUserID))
					}
					return nil
				}
				if !errors.As(cerr, &de) || de.Code != "AUTH-00010" {
					err = cerr
				}
			}
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.approve.err_decide", "ID", args[0]), err))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": q.ID, "status": q.Status})
			}
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.now", "ID", q.ID, "Status", q.Status))
			if !reject {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.exists", "ID", q.ID, "Org", q.PartyOrgNo))
				if q.Agent {
					agentClientsHint(a, sb, q)
				}
			}
			return nil
		},
	}
	dataFlag(a, cmd, &data)
	cmd.Flags().BoolVar(&reject, "reject", false, a.T("clitools.sandbox.approve.flag_reject"))
	cmd.Flags().BoolVar(&all, "all", false, a.T("clitools.sandbox.approve.flag_all"))
	cmd.Flags().Float64Var(&fraction, "fraction", 1, a.T("clitools.sandbox.approve.flag_fraction"))
	cmd.Flags().Float64Var(&rejectFraction, "reject-fraction", 0, a.T("clitools.sandbox.approve.flag_reject_fraction"))
	cmd.Flags().StringVar(&systemID, "system", "", a.T("clitools.sandbox.approve.flag_system"))
	cmd.Flags().Uint64Var(&seed, "seed", 1, a.T("clitools.sandbox.approve.flag_seed"))
	jsonFlag(a, cmd, &asJSON)
	return cmd
}

// agentClientsHint says, for an approved agent request, how the facilitator gives its system
// user clients: the commands, the organisations that qualify or the one that makes one, or
// that no client can ever be added (a package no role gives), in which case the commands
// would only fail.
func agentClientsHint(a *cli.App, sb *sandbox.Sandbox, q *world.Request) {
	fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.agent", "Org", q.PartyOrgNo))
	if _, _, unreachable, err := sb.AgentFacilitator(q.ID); err == nil && len(unreachable) == 0 {
		fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.approve.agent_commands", "ID", q.ID))
	}
	fmt.Fprintln(a.Stdout, strings.TrimPrefix(qualifyingClients(a, sb, q.ID), "\n"))
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
