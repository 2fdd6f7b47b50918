package page

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// keyStep is step 3: use the configured key, load a business certificate, or generate a key
// pair (and, where the self-service API is available, create the client and upload the key).
type keyStep struct {
	// keyFile is the generated key's PEM file, absolute.
	keyFile string
	env     *kit.Env
	index   int
	work    kit.Work
	mode    keyMode
	width   int
	height  int

	report    steps.KeyReport
	generated *steps.KeygenResult
	genKey    *steps.Key
	prov      *steps.Provisioned
	form      *kit.Form
	// provisionAgain is set when u was pressed once after a client was made: the next u
	// makes another.
	provisionAgain bool
	p12Path        string
	p12Pass        string
	err            error
	message        string
	done           bool
}

type keyMode int

const (
	keyMenu keyMode = iota
	keyPKCS12
)

// keyProvisionedMsg carries the self-service result.
type keyProvisionedMsg struct {
	seq  int
	prov *steps.Provisioned
	err  error
}

// NewKey is step 3 at index.
func NewKey(env *kit.Env, index int) *keyStep {
	return &keyStep{env: env, index: index, work: kit.NewWork()}
}

func (s *keyStep) Title() string { return s.env.T("page.key.title") }
func (s *keyStep) Short() string { return s.env.T("page.key.short") }
func (s *keyStep) Stop()         { s.work.Stop() }
func (s *keyStep) Leave() {
	if s.mode == keyPKCS12 {
		s.mode = keyMenu
	}
}

func (s *keyStep) Enter() tea.Cmd {
	s.report = steps.CheckKey(s.env.Session)
	return nil
}

func (s *keyStep) keyOK() bool {
	for _, c := range s.report.Checks {
		if c.Verdict == steps.Fail {
			return false
		}
	}
	return len(s.report.Checks) > 0
}

func (s *keyStep) Update(msg tea.Msg) tea.Cmd {
	if s.mode == keyPKCS12 {
		cmd, state := s.form.Update(msg)
		switch state {
		case huh.StateCompleted:
			s.mode = keyMenu
			return s.loadPKCS12()
		case huh.StateAborted:
			s.mode = keyMenu
		}
		return cmd
	}
	switch msg := msg.(type) {
	case keyProvisionedMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		s.err, s.prov = nil, msg.prov // a refusal of an earlier try is no longer true
		s.env.Session = s.env.Session.WithKey(msg.prov.Client.ClientID, s.genKey)
		f := s.env.Flow
		f.KeyFile, f.KeyKid, f.ClientID, f.KeyPKCS12 = s.keyFile, s.genKey.Kid, msg.prov.Client.ClientID, false
		s.report = steps.CheckKey(s.env.Session)
		s.message = s.env.T("page.key.provisioned", "ID", msg.prov.Client.ClientID)
		s.done = true
		// Tokens from the old client are stale.
		return tea.Batch(kit.Invalidate(s.index+4, s.index), kit.Complete(s.index))
	}
	return s.work.Update(msg)
}

func (s *keyStep) Actions() []kit.Action {
	k := s.env.Keys
	if s.mode == keyPKCS12 {
		return s.form.Actions(k, func() tea.Cmd { s.mode = keyMenu; return nil }, s.env.T("page.key.key.back"))
	}
	var out []kit.Action
	if s.keyOK() {
		use := s.env.T("page.key.key.use")
		if s.generated != nil && s.prov == nil {
			use = s.env.T("page.key.key.keep") // the new pair is not in use until u or a profile change
		}
		out = append(out, kit.Act(kit.With(k.Enter, use), func() tea.Cmd {
			s.done = true
			return tea.Batch(kit.Complete(s.index), kit.Advance)
		}))
	}
	out = append(out, kit.Act(k.Generate, s.generate), kit.Act(k.PKCS12, s.askPKCS12))
	if s.env.Admin != nil {
		out = append(out, kit.Act(k.Provision, s.provision))
	}
	if s.generated != nil {
		out = append(out, kit.Act(kit.With(k.Copy, s.env.T("page.key.key.copy")), func() tea.Cmd {
			if err := s.env.Clipboard(jwkArray(s.generated)); err != nil {
				s.err = err
				return nil
			}
			return kit.Notice(s.env.T("page.key.copied"))
		}))
	}
	return out
}

func (s *keyStep) askPKCS12() tea.Cmd {
	s.p12Pass = ""
	s.form = kit.NewForm(huh.NewGroup(
		huh.NewInput().Title(s.env.T("page.key.form.file")).Value(&s.p12Path).Validate(fileReadable(s.env, ".p12/.pfx")),
		huh.NewInput().Title(s.env.T("page.key.form.password")).Description(s.env.T("page.key.form.password_help")).EchoMode(huh.EchoModePassword).Value(&s.p12Pass),
	))
	s.form.SetSize(s.width, min(s.height, 12))
	s.mode = keyPKCS12
	return s.form.Init()
}

// fileReadable checks a path field: what names the file wanted.
func fileReadable(env *kit.Env, what string) func(string) error {
	return func(p string) error { return checkReadable(env, what, p) }
}

func checkReadable(env *kit.Env, what, p string) error {
	if strings.TrimSpace(p) == "" {
		return errors.New(env.T("page.file.no_path", "What", what))
	}
	st, err := os.Stat(kit.TypedPath(p))
	if err != nil {
		return errors.New(env.T("page.file.unreadable", "Path", strings.TrimSpace(p)))
	}
	if st.IsDir() {
		return errors.New(env.T("page.file.directory", "Path", p))
	}
	return nil
}

func (s *keyStep) loadPKCS12() tea.Cmd {
	k, err := steps.LoadBusinessCertificate(kit.TypedPath(s.p12Path), s.p12Pass)
	s.p12Pass = "" // the password is not kept
	if err != nil {
		s.err = err
		return nil
	}
	s.err = nil
	s.env.Session = s.env.Session.WithKey("", k)
	f := s.env.Flow
	f.KeyFile, f.KeyKid, f.ClientID, f.KeyPKCS12 = "", "", "", true
	s.report = steps.CheckKey(s.env.Session)
	s.message = s.env.T("page.key.p12_loaded")
	s.done = false
	return kit.Invalidate(s.index, s.index)
}

func (s *keyStep) generate() tea.Cmd {
	dir := s.env.Opts.KeyDir
	if dir == "" {
		dir = "."
	}
	r, k, err := steps.GenerateKey(dir, "", s.env.Now())
	s.generated = r
	if err != nil {
		s.err = err
		return nil
	}
	s.err, s.genKey = nil, k
	if abs, err := filepath.Abs(r.PrivateKeyFile); err == nil {
		s.keyFile = abs // saved once the key is in use, so a resumed session finds it
	}
	s.message = s.env.T("page.key.generated_u")
	if s.env.Admin == nil {
		s.message = s.env.T("page.key.generated")
	}
	return nil
}

func (s *keyStep) provision() tea.Cmd {
	if s.env.Admin == nil {
		s.err = errors.New(s.env.T("page.key.no_admin"))
		return nil
	}
	if s.prov != nil && !s.provisionAgain {
		// Each u makes a client, in Samarbeidsportalen too on the real hosts: a second one is
		// asked for, not made by a key pressed twice.
		s.provisionAgain = true
		s.message = s.env.T("page.key.provision_again", "ID", s.prov.Client.ClientID)
		return nil
	}
	s.provisionAgain = false
	if s.genKey == nil {
		if cmd := s.generate(); cmd != nil || s.genKey == nil {
			return cmd
		}
	}
	ctx, seq, tick := s.work.Start(s.env)
	admin, k := s.env.Admin, s.genKey
	scopes := steps.ProvisionScopes(s.env.Session.Profile.Scopes)
	name := "sbs-tui " + s.env.Now().Format("2006-01-02 15:04") //i18n:ignore a client name in Samarbeidsportalen, not screen text
	return tea.Batch(tick, func() tea.Msg {
		p, err := steps.ProvisionClient(ctx, admin, name, s.env.T("page.key.client_description"), scopes, k)
		return keyProvisionedMsg{seq: seq, prov: p, err: err}
	})
}

func jwkArray(r *steps.KeygenResult) string {
	var v any
	_ = json.Unmarshal(r.PublicJWK, &v)
	b, _ := json.MarshalIndent([]any{v}, "", "  ")
	return string(b)
}

func (s *keyStep) View() string {
	st := s.env.Styles
	if s.mode == keyPKCS12 {
		return s.form.View()
	}
	var b strings.Builder
	b.WriteString(kit.RenderChecks(st, s.report.Checks, s.width))
	if s.work.Busy {
		b.WriteString("\n" + s.work.View(s.env, s.env.T("page.key.busy")))
		return b.String()
	}
	if s.err != nil {
		b.WriteString("\n" + kit.ErrorBox(s.env, s.err, s.width) + "\n")
	}
	if s.message != "" {
		b.WriteString("\n" + st.Info.Render(s.message) + "\n")
	}
	if s.generated != nil {
		b.WriteString("\n" + st.Bold.Render(s.env.T("page.key.jwk")) + st.Subtle.Render(" "+s.env.T("page.key.jwk_note", "Kid", s.generated.Kid, "File", s.generated.PrivateKeyFile)) + "\n")
		b.WriteString(st.Code.Render(jwkArray(s.generated)) + "\n")
	}
	if !s.keyOK() && s.generated == nil {
		b.WriteString("\n" + st.Warn.Render(s.env.T("page.key.no_key")))
	}
	return b.String()
}

func (s *keyStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.SetSize(w, min(h, 12))
	}
}

func (s *keyStep) Done() bool      { return s.done }
func (s *keyStep) Busy() bool      { return s.work.Busy }
func (s *keyStep) Capturing() bool { return s.mode == keyPKCS12 }
func (s *keyStep) Cancel()         { s.work.Cancel() }
func (s *keyStep) Reset()          {}
