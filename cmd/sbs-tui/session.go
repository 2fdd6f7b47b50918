package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// sandboxDataVar points the embedded sandbox at another data directory.
const sandboxDataVar = "SBS_TUI_SANDBOX_DATA"

// loadConfig reads the config file: --config, then SBS_TUI_CONFIG, then the XDG default. Only
// the default may be missing (a fresh machine).
func (a *app) loadConfig() (*config.File, error) {
	path, explicit := a.configPath, a.configPath != ""
	if !explicit {
		if p := os.Getenv(config.EnvConfigVar); p != "" {
			path, explicit = p, true
		} else {
			path = config.DefaultPath()
		}
	}
	return config.Load(path, !explicit)
}

// getSession resolves the profile and environment, starting the embedded sandbox when the
// environment is the sandbox and no running one is configured.
func (a *app) getSession(ctx context.Context) (*steps.Session, error) {
	if a.session != nil {
		return a.session, nil
	}
	file, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	prof, name, ok, err := file.Profile(a.profile)
	if err != nil {
		return nil, usageError{err}
	}
	envName := a.env
	if ok && envName != "" && prof.Env != envName {
		if a.profile != "" {
			return nil, usagef("profile %q is for the %s environment, not %s: drop --env or pick another profile", name, prof.Env, envName)
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
				prof, name, ok = sandboxProfile(boot, ""), "sandbox", true
			}
		}
		env = config.Sandbox(url)
	default:
		if !ok {
			return nil, fmt.Errorf("no profile for the %s environment in %s: add one with env: %s, org, client_id, key and scopes (see the README)", envName, file.Path(), envName)
		}
		if env, err = config.Builtin(envName); err != nil {
			return nil, err
		}
	}
	env, warnings = env.ApplyOverrides(prof.URLs)
	s := steps.NewSession(env, file, name, prof, a.httpClient(), a.now, a.log)
	if a.attached != nil && a.attached.Notice != "" {
		warnings = append(warnings, a.attached.Notice) // the wizard shows them on its first screen
	}
	s.Warnings = warnings
	s.Password = a.passwordPrompt()
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "warning: %s\n", w)
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
func (a *app) startEmbeddedSandbox(ctx context.Context, dataDir string) (world.Bootstrap, string, error) {
	if dataDir == "" {
		dataDir = os.Getenv(sandboxDataVar)
	}
	abs, err := defaultDataDir(dataDir)
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	at, err := sandbox.Attach(ctx, sandbox.Options{DataDir: abs, Logger: a.log.With("component", "sandbox")}, preferredAddr(abs))
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	a.attached = at // its Notice, if any, joins the session's warnings
	boot, err := at.Sandbox.Bootstrap()
	if err != nil {
		return world.Bootstrap{}, "", err
	}
	// Every data directory carries a config for its vendor, for other tools and scripts.
	if cfg := filepath.Join(abs, "sbs-tui.yaml"); !fileExists(cfg) {
		if err := writeSandboxConfig(cfg, boot); err != nil {
			fmt.Fprintf(a.stderr, "warning: %v\n", err)
		}
	}
	return boot, at.BaseURL, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// preferredAddr is the address a data directory gets on first use: the default directory
// keeps sandbox.DefaultAddr, any other a free loopback port.
func preferredAddr(dir string) string {
	if def, err := filepath.Abs(config.DefaultDataDir()); err == nil && def == dir {
		return sandbox.DefaultAddr
	}
	return ""
}

// sandboxProfile is the vendor profile the sandbox seeded. url is empty for the embedded one.
func sandboxProfile(b world.Bootstrap, url string) *config.Profile {
	return &config.Profile{
		Env: config.EnvSandbox, SandboxURL: url, OrgNo: b.VendorOrg, ClientID: b.ClientID,
		Key: config.KeyRef{PEM: b.KeyFile, Kid: b.Kid}, Scopes: b.Scopes,
	}
}

// passwordPrompt asks for a PKCS#12 password on the terminal; without one it returns nil so
// that loading fails with a message naming key.password_env.
func (a *app) passwordPrompt() config.PasswordFunc {
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(file string) (string, error) {
		fmt.Fprintf(a.stderr, "Password for %s: ", file)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(pw), nil
	}
}

// readInput reads a token from a file, "-" (stdin), or an interactive paste.
func (a *app) readInput(arg string) (string, error) {
	const limit = 1 << 20
	read := func(r io.Reader) (string, error) {
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return "", fmt.Errorf("read token: %w", err)
		}
		if len(data) > limit {
			return "", errors.New("the input is larger than 1 MiB; that is not a token")
		}
		return string(data), nil
	}
	switch arg {
	case "-":
		return read(a.stdin)
	case "":
		if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprint(a.stderr, "Paste a token and press Enter: ")
			line, err := bufio.NewReaderSize(a.stdin, 64<<10).ReadString('\n')
			if err != nil && line == "" {
				return "", fmt.Errorf("read token: %w", err)
			}
			return line, nil
		}
		return read(a.stdin)
	default:
		f, err := os.Open(arg)
		if err != nil {
			return "", fmt.Errorf("read token: %w", err)
		}
		defer f.Close()
		return read(f)
	}
}
