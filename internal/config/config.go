package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/adrg/xdg"
	"go.yaml.in/yaml/v3"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
)

// AppName names the XDG sub-directories.
const AppName = "sbs-tui"

// EnvConfigVar overrides the config file path (below --config, above the XDG default).
const EnvConfigVar = "SBS_TUI_CONFIG"

// MaxConfigSize caps how much of a config file is read.
const MaxConfigSize = 1 << 20

// File is the YAML config file: named profiles and which one is the default.
type File struct {
	DefaultProfile string              `yaml:"default_profile,omitempty"`
	Profiles       map[string]*Profile `yaml:"profiles"`
	// Lang is the language of the screens and messages: nb, nn or en (--lang overrides it;
	// without either the locale decides).
	Lang string `yaml:"lang,omitempty"`

	// path is where the file was read from; relative key paths are resolved against its directory.
	path string `yaml:"-"`
}

// Profile is one vendor identity in one environment.
type Profile struct {
	Env string `yaml:"env"`
	// SandboxURL points a sandbox profile at a sandbox served elsewhere. It is used only
	// without SandboxData: a profile naming a data directory attaches to that directory's
	// sandbox at its recorded address (or the default data directory's).
	SandboxURL  string       `yaml:"sandbox_url,omitempty"`
	SandboxData string       `yaml:"sandbox_data,omitempty"`
	OrgNo       string       `yaml:"org"`
	ClientID    string       `yaml:"client_id"`
	Key         KeyRef       `yaml:"key"`
	Alg         string       `yaml:"alg,omitempty"`
	Scopes      []string     `yaml:"scopes,omitempty"`
	URLs        URLOverrides `yaml:"urls,omitempty"`
	// AltinnExchange exchanges Maskinporten tokens for Altinn tokens before calling Altinn.
	// Off by default: the vendor APIs take Maskinporten tokens directly.
	AltinnExchange bool `yaml:"altinn_exchange,omitempty"`
}

// KeyRef says where the client's private key is: a PEM file with its kid, a private JWK file
// (kid inside), or a PKCS#12 business certificate whose password comes from the environment
// variable PasswordEnv or, on a terminal, a prompt. Never from the file itself.
type KeyRef struct {
	PEM         string `yaml:"pem,omitempty"`
	Kid         string `yaml:"kid,omitempty"`
	JWK         string `yaml:"jwk,omitempty"`
	PKCS12      string `yaml:"pkcs12,omitempty"`
	PasswordEnv string `yaml:"password_env,omitempty"`
}

// DefaultPath returns the config file path: SBS_TUI_CONFIG if set, else the XDG config path.
func DefaultPath() string {
	if p := os.Getenv(EnvConfigVar); p != "" {
		return p
	}
	return filepath.Join(xdg.ConfigHome, AppName, "config.yaml")
}

// DefaultDataDir is where the embedded sandbox keeps its state.
func DefaultDataDir() string { return filepath.Join(xdg.DataHome, AppName, "sandbox") }

// DefaultStateDir is where logs and resume files go.
func DefaultStateDir() string { return filepath.Join(xdg.StateHome, AppName) }

// Load reads the config file at path. A missing file is not an error when allowMissing is set
// (the default path on a fresh machine); the result is then an empty File.
func Load(path string, allowMissing bool) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && allowMissing {
			return &File{Profiles: map[string]*Profile{}, path: path}, nil
		}
		return nil, i18n.Wrap(err, "config.read", "Path", path)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, i18n.Wrap(err, "config.read", "Path", path)
	}
	if len(data) > MaxConfigSize {
		return nil, i18n.Errorf("config.too_large", "Path", path, "Max", MaxConfigSize)
	}
	cf, err := Parse(data)
	if err != nil {
		return nil, i18n.Wrap(err, "config.in_file", "Path", path)
	}
	cf.path = path
	return cf, nil
}

// Parse decodes and validates config YAML. Unknown fields are errors, so a typo such as
// "clientid" is reported instead of silently ignored.
func Parse(data []byte) (*File, error) {
	cf := &File{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cf); err != nil && !errors.Is(err, io.EOF) {
		return nil, i18n.Wrap(err, "config.yaml")
	}
	if cf.Profiles == nil {
		cf.Profiles = map[string]*Profile{}
	}
	for _, name := range cf.ProfileNames() {
		p := cf.Profiles[name]
		if p == nil {
			return nil, i18n.Errorf("config.profile_empty", "Name", name)
		}
		if err := p.Validate(); err != nil {
			return nil, i18n.Wrap(err, "config.profile", "Name", name)
		}
	}
	if cf.DefaultProfile != "" && cf.Profiles[cf.DefaultProfile] == nil {
		return nil, i18n.Errorf("config.no_default", "Name", cf.DefaultProfile, "Have", strings.Join(cf.ProfileNames(), ", "))
	}
	return cf, nil
}

// Path is the file the config was loaded from.
func (f *File) Path() string { return f.path }

// ProfileNames returns the profile names, sorted.
func (f *File) ProfileNames() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profile picks a profile: the named one, else default_profile, else the only one. ok is false
// when the file has no profile to offer (a fresh machine).
func (f *File) Profile(name string) (p *Profile, chosen string, ok bool, err error) {
	switch {
	case name != "":
		chosen = name
	case f.DefaultProfile != "":
		chosen = f.DefaultProfile
	case len(f.Profiles) == 1:
		chosen = f.ProfileNames()[0]
	case len(f.Profiles) == 0:
		return nil, "", false, nil
	default:
		return nil, "", false, i18n.Errorf("config.several", "Path", f.path, "Have", strings.Join(f.ProfileNames(), ", "))
	}
	p = f.Profiles[chosen]
	if p == nil && len(f.Profiles) == 0 {
		return nil, "", false, i18n.Errorf("config.none_in", "Name", chosen, "Path", f.path)
	}
	if p == nil {
		return nil, "", false, i18n.Errorf("config.not_in", "Name", chosen, "Path", f.path, "Have", strings.Join(f.ProfileNames(), ", "))
	}
	return p, chosen, true, nil
}

// Resolve turns a path from the config file into an absolute one.
func (f *File) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || f.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(f.path), p)
}

// Validate checks a profile's fields, naming the field and the rule.
func (p *Profile) Validate() error {
	if p.Env == "" {
		return i18n.Errorf("config.env_required")
	}
	if err := CheckEnvName(p.Env); err != nil {
		return i18n.Wrap(err, "config.field", "Field", "env")
	}
	if p.OrgNo != "" {
		if err := orgno.Validate(p.OrgNo); err != nil {
			return i18n.Wrap(err, "config.field", "Field", "org")
		}
	}
	if p.Alg != "" && p.Alg != "RS256" && p.Alg != "RS384" && p.Alg != "RS512" {
		return i18n.Errorf("config.alg", "Alg", p.Alg)
	}
	sources := 0
	for _, s := range []string{p.Key.PEM, p.Key.JWK, p.Key.PKCS12} {
		if s != "" {
			sources++
		}
	}
	if sources > 1 {
		return i18n.Errorf("config.key_one")
	}
	if p.Key.PEM != "" && p.Key.Kid == "" {
		return i18n.Errorf("config.kid_required")
	}
	if p.Key.PasswordEnv != "" && p.Key.PKCS12 == "" {
		return i18n.Errorf("config.password_env")
	}
	for _, s := range p.Scopes {
		if strings.ContainsAny(s, " \t\n") || s == "" {
			return i18n.Errorf("config.scope_single", "Scope", s)
		}
	}
	return nil
}

// Save writes the config file atomically (0600: it names key files and client ids).
func (f *File) Save(path string) error {
	data, err := yaml.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode config: %w", err) //i18n:ignore cannot happen for these types; a programming error
	}
	header := []byte("# sbs-tui configuration. Keys are referenced by path; secrets never live here.\n") //i18n:ignore the file's own comment, read by tools and people in any language
	if err := safefile.Write(path, append(header, data...), 0o600); err != nil {
		return err
	}
	f.path = path
	return nil
}
