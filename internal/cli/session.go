package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// SandboxDataVar points the embedded sandbox at another data directory.
const SandboxDataVar = "SBS_TUI_SANDBOX_DATA"

// LoadConfig reads the config file: --config, then SBS_TUI_CONFIG, then the XDG default. Only
// the default may be missing (a fresh machine).
func (a *App) LoadConfig() (*config.File, error) {
	path, explicit := a.ConfigPath, a.ConfigPath != ""
	if !explicit {
		if p := os.Getenv(config.EnvConfigVar); p != "" {
			path, explicit = p, true
		} else {
			path = config.DefaultPath()
		}
	}
	return config.Load(path, !explicit)
}

// WithSession is a command's RunE that opens the session before run: config, profile and
// environment (the embedded sandbox starting on first use). A failure to open it is printed as
// JSON when *asJSON is set when the command runs. A command checks its flags in PreRunE, so that
// a usage error is said before the config is read.
func (a *App) WithSession(asJSON *bool, run func(cmd *cobra.Command, args []string, s *steps.Session) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := a.Session(cmd.Context())
		if err != nil {
			return a.MaybeJSON(*asJSON, err)
		}
		return run(cmd, args, s)
	}
}

// Session resolves the profile and environment, starting the embedded sandbox when the
// environment is the sandbox and no running one is configured.
func (a *App) Session(ctx context.Context) (*steps.Session, error) {
	if a.session != nil {
		return a.session, nil
	}
	file, err := a.LoadConfig()
	if err != nil {
		return nil, err
	}
	profile := a.ProfileName
	if profile == "sandbox" && len(file.Profiles) == 0 {
		profile = "" // the built-in sandbox profile is this name's
	}
	prof, name, ok, err := file.Profile(profile)
	if err != nil {
		return nil, UsageError{err}
	}
	envName := a.EnvName
	if ok && envName != "" && prof.Env != envName {
		if a.ProfileName != "" {
			return nil, Usagef("%s", a.T("cli.err.profile_env", "Name", name, "Env", prof.Env, "Want", envName))
		}
		prof, name, ok = profileForEnv(file, envName)
	}
	if envName == "" {
		envName = config.EnvSandbox
		if ok {
			envName = prof.Env
		}
	}
	var env config.Environment
	var warnings []string
	switch envName {
	case config.EnvSandbox:
		dataDir := ""
		if ok {
			dataDir = file.Resolve(prof.SandboxData)
		}
		// A data directory wins over a URL: attaching to it finds whoever serves it now (a
		// URL written by an older `sandbox serve` may point at a server long gone).
		url := ""
		if ok && prof.SandboxData == "" {
			url = prof.SandboxURL
		}
		if url == "" {
			boot, base, err := a.startEmbeddedSandbox(ctx, dataDir)
			if err != nil {
				return nil, err
			}
			url = base
			a.sandboxBoot = &boot
			if !ok {
				prof, name, ok = SandboxProfile(boot, ""), "sandbox", true
			}
		}
		env = config.Sandbox(url)
	default:
		if !ok {
			return nil, errors.New(a.T("cli.err.no_profile", "Env", envName, "Path", file.Path()))
		}
		if env, err = config.Builtin(envName); err != nil {
			return nil, err
		}
	}
	env, overrides := env.ApplyOverrides(prof.URLs)
	for _, w := range overrides {
		warnings = append(warnings, a.Text().Error(w))
	}
	s := steps.NewSession(env, file, name, prof, a.HTTPClient(), a.Now, a.Log)
	s.Text = a.Text()
	if a.Attached != nil && a.Attached.Notice != "" {
		warnings = append(warnings, a.Attached.Notice) // the wizard shows them on its first screen
	}
	s.Warnings = warnings
	s.Password = a.passwordPrompt()
	for _, w := range warnings {
		fmt.Fprintln(a.Stderr, a.T("cli.warning", "Text", w))
	}
	a.session = s
	return s, nil
}

// profileForEnv finds the only profile of an environment.
func profileForEnv(file *config.File, env string) (*config.Profile, string, bool) {
	var found []string
	for _, n := range file.ProfileNames() {
		if file.Profiles[n].Env == env {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		return nil, "", false
	}
	return file.Profiles[found[0]], found[0], true
}

// startEmbeddedSandbox attaches to the sandbox of dataDir (default: the XDG data path) at the
// directory's recorded base URL: a live one serving it, or this process serves it while the
// command runs.
func (a *App) startEmbeddedSandbox(ctx context.Context, dataDir string) (world.Bootstrap, string, error) {
	if dataDir == "" {
		dataDir = os.Getenv(SandboxDataVar)
	}
	abs, err := DefaultDataDir(dataDir)
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	at, err := sandbox.Attach(ctx, sandbox.Options{DataDir: abs, Logger: a.Log.With("component", "sandbox")}, PreferredAddr(abs))
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	a.Attached = at // its Notice, if any, joins the session's warnings
	boot, err := at.Sandbox.Bootstrap()
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	// Every data directory carries a config for its vendor, for other tools and scripts.
	if cfg := filepath.Join(abs, "sbs-tui.yaml"); !FileExists(cfg) {
		if err := WriteSandboxConfig(cfg, boot); err != nil {
			fmt.Fprintln(a.Stderr, a.T("cli.warning", "Text", err.Error()))
		}
	}
	return boot, at.BaseURL, nil
}

// FileExists reports whether path names something that exists.
func FileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// PreferredAddr is the address a data directory gets on first use: the default directory
// keeps sandbox.DefaultAddr, any other a free loopback port.
func PreferredAddr(dir string) string {
	if def, err := filepath.Abs(config.DefaultDataDir()); err == nil && def == dir {
		return sandbox.DefaultAddr
	}
	return ""
}

// SandboxProfile is the vendor profile the sandbox seeded. url is empty for the embedded one.
func SandboxProfile(b world.Bootstrap, url string) *config.Profile {
	return &config.Profile{
		Env: config.EnvSandbox, SandboxURL: url, OrgNo: b.VendorOrg, ClientID: b.ClientID,
		Key: config.KeyRef{PEM: b.KeyFile, Kid: b.Kid}, Scopes: b.Scopes,
	}
}

// passwordPrompt asks for a PKCS#12 password on the terminal; without one it returns nil so
// that loading fails with a message naming key.password_env.
func (a *App) passwordPrompt() config.PasswordFunc {
	f, ok := a.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(file string) (string, error) {
		fmt.Fprint(a.Stderr, a.T("cli.password_for", "File", file)+" ")
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.Stderr)
		if err != nil {
			return "", fmt.Errorf("%s: %w", a.T("cli.err.read_password"), err)
		}
		return string(pw), nil
	}
}

// DefaultDataDir is dir made absolute; empty is the XDG data path.
func DefaultDataDir(dir string) (string, error) {
	if dir == "" {
		dir = config.DefaultDataDir()
	}
	return filepath.Abs(dir)
}

// WriteSandboxConfig writes the config for a sandbox data directory: the vendor's profile
// (default) and its self-service admin profile. It names the directory, not a URL, so it never
// points at a server that has stopped: commands attach to the directory. Key paths are
// relative to the config's directory.
func WriteSandboxConfig(path string, b world.Bootstrap) error {
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if r, err := filepath.Rel(dir, p); err == nil {
			return r
		}
		return p
	}
	vendor := SandboxProfile(b, "")
	vendor.Key.PEM = rel(vendor.Key.PEM)
	vendor.SandboxData = "."
	admin := &config.Profile{
		Env: config.EnvSandbox, OrgNo: b.VendorOrg, ClientID: b.AdminClientID,
		Key: config.KeyRef{PEM: rel(b.AdminKeyFile), Kid: b.AdminKid}, Scopes: b.AdminScopes, SandboxData: ".",
	}
	f := &config.File{DefaultProfile: "sandbox", Profiles: map[string]*config.Profile{"sandbox": vendor, "sandbox-admin": admin}}
	return f.Save(path)
}

// AdminSession finds a self-service admin identity: the built-in sandbox's, or a profile in
// the same environment named <profile>-admin or holding idporten:dcr.write.
func (a *App) AdminSession(_ context.Context, s *steps.Session) *steps.Session {
	if a.sandboxBoot != nil && s.Env.IsSandbox() {
		b := a.sandboxBoot
		p := &config.Profile{Env: config.EnvSandbox, OrgNo: b.VendorOrg, ClientID: b.AdminClientID, Key: config.KeyRef{PEM: b.AdminKeyFile, Kid: b.AdminKid}, Scopes: b.AdminScopes}
		admin := steps.NewSession(s.Env, s.File, "sandbox-admin", p, s.HTTP, a.Now, a.Log)
		admin.Text = a.Text()
		return admin
	}
	if s.File == nil {
		return nil
	}
	for _, name := range s.File.ProfileNames() {
		p := s.File.Profiles[name]
		if name == s.ProfileName || p.Env != s.Env.Name {
			continue
		}
		if name == s.ProfileName+"-admin" || slices.Contains(p.Scopes, "idporten:dcr.write") {
			admin := steps.NewSession(s.Env, s.File, name, p, s.HTTP, a.Now, a.Log)
			admin.Text = a.Text()
			return admin
		}
	}
	return nil
}
