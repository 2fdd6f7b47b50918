package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// systemStep is step 4: describe the system (form or system.json), see the JSON that will be
// sent with every locally checkable problem, then register or update it.
type systemStep struct {
	env    *Env
	index  int
	work   work
	mode   sysMode
	width  int
	height int

	values  sysValues
	json    viewport.Model
	form    *embeddedForm
	file    *steps.SystemFile
	result  *steps.RegisterResult
	err     error
	catalog *accesspackages.Catalog
}

type sysMode int

const (
	sysChoose sysMode = iota
	sysForm
	sysImport
	sysPreview
)

// sysValues are the form's fields; kept across edits so nothing typed is lost.
type sysValues struct {
	ID, Name, Description string
	Packages              []string
	Rights                string
	ClientIDs             string
	Redirects             string
	Visible               bool
	ImportPath            string
}

// systemRegisteredMsg carries the register result.
type systemRegisteredMsg struct {
	seq    int
	dryRun bool
	result *steps.RegisterResult
	err    error
}

func newSystemStep(env *Env, index int) *systemStep {
	return &systemStep{env: env, index: index, work: newWork(), json: viewport.New(40, 5)}
}

func (s *systemStep) Title() string { return "Register the system in Altinn's system register" }
func (s *systemStep) Short() string { return "System" }
func (s *systemStep) stopWork()     { s.work.stop() }
func (s *systemStep) Leave()        {}

func (s *systemStep) Enter() tea.Cmd {
	if s.catalog == nil {
		s.catalog = s.env.Session.Catalog(s.env.Base)
	}
	if s.values.ID == "" {
		p := s.env.Session.Profile
		s.values.ID = p.OrgNo + "_"
		s.values.ClientIDs = p.ClientID
	}
	if s.file == nil && s.env.Flow.SystemJSON != "" {
		s.file = steps.CheckSystemJSON([]byte(s.env.Flow.SystemJSON), s.catalog, s.facts())
		s.fromDefinition(s.file.Definition)
		s.mode = sysPreview
	}
	if s.mode == sysForm || s.mode == sysImport {
		return s.form.init()
	}
	return nil
}

func (s *systemStep) facts() *steps.ProfileFacts {
	p := s.env.Session.Profile
	return &steps.ProfileFacts{OrgNo: p.OrgNo, ClientID: p.ClientID}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

func (s *systemStep) definition() altinn.SystemDefinition {
	v := s.values
	visible := v.Visible
	d := altinn.SystemDefinition{
		ID: strings.TrimSpace(v.ID), Vendor: altinn.VendorRef{ID: "0192:" + s.env.Session.Profile.OrgNo},
		Name: map[string]string{"nb": strings.TrimSpace(v.Name)}, Description: map[string]string{"nb": strings.TrimSpace(v.Description)},
		ClientID: splitList(v.ClientIDs), AllowedRedirectURLs: splitList(v.Redirects), IsVisible: &visible,
		AccessPackages: []altinn.PackageRef{}, Rights: []altinn.Right{},
	}
	for _, p := range v.Packages {
		d.AccessPackages = append(d.AccessPackages, altinn.PackageRef{URN: p})
	}
	for _, r := range splitList(v.Rights) {
		d.Rights = append(d.Rights, altinn.NewResourceRight(r))
	}
	return d
}

func (s *systemStep) fromDefinition(d altinn.SystemDefinition) {
	s.values.ID, s.values.Name, s.values.Description = d.ID, d.Name["nb"], d.Description["nb"]
	s.values.Packages = nil
	for _, p := range d.AccessPackages {
		s.values.Packages = append(s.values.Packages, accesspackages.URN(p.URN))
	}
	var rights []string
	for _, r := range d.Rights {
		for _, a := range r.Resource {
			rights = append(rights, a.Value)
		}
	}
	s.values.Rights = strings.Join(rights, ", ")
	s.values.ClientIDs = strings.Join(d.ClientID, ", ")
	s.values.Redirects = strings.Join(d.AllowedRedirectURLs, ", ")
	s.values.Visible = d.Visible()
}

func (s *systemStep) packageOptions() []huh.Option[string] {
	var opts []huh.Option[string]
	for _, p := range s.catalog.All() {
		if !p.Usable() {
			continue
		}
		flags := "standard+agent"
		switch {
		case p.ClientOnly():
			flags = "agent only"
		case !p.IsDelegable:
			flags = "standard only"
		}
		label := termsafe.Truncate(fmt.Sprintf("%s · %s · %s", p.Code, flags, p.Area), max(s.width-8, 30))
		opts = append(opts, huh.NewOption(label, p.URN).Selected(contains(s.values.Packages, p.URN)))
	}
	return opts
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *systemStep) buildForm() *embeddedForm {
	org := s.env.Session.Profile.OrgNo
	f := newForm(
		huh.NewGroup(
			huh.NewInput().Title("System id").Description("<your orgno>_<name>, no spaces; it can never be reused").Value(&s.values.ID).
				Validate(func(v string) error { return firstViolation(altinn.ValidateSystemID(strings.TrimSpace(v), org)) }),
			huh.NewInput().Title("Name (nb)").Description("shown to the customer when approving").Value(&s.values.Name).
				Validate(func(v string) error { return notEmpty(v, "the name") }),
			huh.NewInput().Title("Description (nb)").Value(&s.values.Description).
				Validate(func(v string) error { return notEmpty(v, "the description") }),
		),
		huh.NewGroup(
			huh.NewMultiSelect[string]().Title("Access packages").
				Description("/ filters (enter keeps it) · x selects · agent-only packages (accountant, auditor, business manager) need isVisible false and agent requests").
				Options(s.packageOptions()...).Value(&s.values.Packages).Height(12).Filterable(true),
			huh.NewInput().Title("Rights (resource ids, comma-separated)").Description("e.g. ske-innrapportering-boligselskap; standard system users only").Value(&s.values.Rights).
				Validate(func(v string) error {
					return firstViolation(altinn.ValidateRights(s.definition().Rights, nil))
				}),
		),
		huh.NewGroup(
			huh.NewInput().Title("Maskinporten client ids (comma-separated)").Description("tokens for system users work only for these clients (MP-303 otherwise)").Value(&s.values.ClientIDs),
			huh.NewInput().Title("Allowed redirect URLs (https, comma-separated)").Value(&s.values.Redirects).
				Validate(func(v string) error {
					if viol := altinn.ValidateRedirectURLs(splitList(v)); viol != nil {
						return viol
					}
					return nil
				}),
			huh.NewConfirm().Title("Visible to customers in Altinn (isVisible)?").
				Description("yes: customers can add it themselves; no: only through your requests").Value(&s.values.Visible).
				Validate(func(v bool) error {
					if !v {
						return nil
					}
					return firstViolation(altinn.ValidatePackages(s.definition().AccessPackages, true, s.catalog))
				}),
		),
	)
	f.setSize(s.width, max(s.height-2, 10))
	return f
}

func firstViolation(vs []altinn.Violation) error {
	if len(vs) == 0 {
		return nil
	}
	return vs[0]
}

func notEmpty(v, what string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is required", what)
	}
	return nil
}

func (s *systemStep) preview() {
	d := s.definition()
	data, _ := json.MarshalIndent(d, "", "  ")
	s.file = steps.CheckSystemJSON(data, s.catalog, s.facts())
	s.mode = sysPreview
}

func (s *systemStep) register(dryRun bool) tea.Cmd {
	if s.file == nil || len(s.file.Problems) > 0 {
		return nil
	}
	ctx, seq, tick := s.work.start(s.env)
	sess, d := s.env.Session, s.file.Definition
	return tea.Batch(tick, func() tea.Msg {
		r, err := steps.RegisterSystem(ctx, sess, d, dryRun)
		return systemRegisteredMsg{seq: seq, dryRun: dryRun, result: r, err: err}
	})
}

func (s *systemStep) Update(msg tea.Msg) tea.Cmd {
	if s.mode == sysForm || s.mode == sysImport {
		// esc belongs to the form (it clears a package filter) except in the one-field import.
		if km, ok := msg.(tea.KeyMsg); ok && km.String() == "esc" && s.mode == sysImport {
			s.mode = sysChoose
			if s.file != nil {
				s.mode = sysPreview
			}
			return nil
		}
		cmd, state := s.form.update(msg)
		switch state {
		case huh.StateCompleted:
			if s.mode == sysImport {
				f, err := steps.ReadSystemFile(strings.TrimSpace(s.values.ImportPath), s.catalog, s.facts())
				if err != nil {
					s.err, s.mode = err, sysChoose
					return nil
				}
				s.file, s.err = f, nil
				s.fromDefinition(f.Definition)
				s.mode = sysPreview
				return nil
			}
			s.err = nil
			s.preview()
			return nil
		case huh.StateAborted:
			s.mode = sysChoose
		}
		return cmd
	}
	switch msg := msg.(type) {
	case systemRegisteredMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		s.result, s.err = msg.result, msg.err
		if msg.err != nil || msg.dryRun {
			return nil
		}
		data, _ := json.Marshal(s.file.Definition)
		s.env.Flow.SystemID, s.env.Flow.SystemJSON = msg.result.SystemID, string(data)
		s.env.Flow.Packages = nil
		for _, p := range s.file.Definition.AccessPackages {
			s.env.Flow.Packages = append(s.env.Flow.Packages, accesspackages.URN(p.URN))
		}
		return complete(s.index)
	case tea.KeyMsg:
		if s.work.swallowKey(s.env, msg) {
			return nil
		}
		switch msg.String() {
		case "f", "e":
			s.form = s.buildForm()
			s.mode = sysForm
			return s.form.init()
		case "i":
			s.form = newForm(huh.NewGroup(huh.NewInput().Title("Path to system.json").Value(&s.values.ImportPath).
				Validate(fileReadable)))
			s.form.setSize(s.width, 6)
			s.mode = sysImport
			return s.form.init()
		case "enter":
			if s.mode == sysPreview && s.result != nil && s.err == nil && !strings.HasPrefix(s.result.Action, "would") {
				return advance
			}
			if s.mode == sysPreview {
				return s.register(false)
			}
			s.form = s.buildForm()
			s.mode = sysForm
			return s.form.init()
		case "d":
			return s.register(true)
		case "r":
			if s.err != nil {
				return s.register(false)
			}
		case "up", "down", "k", "j":
			var cmd tea.Cmd
			s.json, cmd = s.json.Update(msg)
			return cmd
		}
		return nil
	}
	return s.work.update(msg)
}

func (s *systemStep) View() string {
	st := s.env.Styles
	switch s.mode {
	case sysForm, sysImport:
		if s.mode == sysImport {
			return s.form.view() + "\n" + st.Subtle.Render("enter reads the file · esc back")
		}
		return s.form.view() + "\n" + st.Subtle.Render("enter next field · shift+tab previous · / filters packages, x selects")
	case sysChoose:
		var b strings.Builder
		b.WriteString(wrapText("Describe the system your customers will give access to: its id, the access packages or rights it may ask for, and the Maskinporten client ids allowed to get its tokens.", s.width) + "\n\n")
		b.WriteString(hint(st, "f", "fill in the form") + "   " + hint(st, "i", "import a system.json") + "\n")
		if s.err != nil {
			b.WriteString("\n" + errorBox(st, s.err, s.width))
		}
		return b.String()
	}
	var notes strings.Builder
	for _, v := range s.file.Problems {
		notes.WriteString(wrapText(st.Fail.Render("✗ ")+violationText(v), s.width) + "\n")
	}
	for _, v := range s.file.Warnings {
		notes.WriteString(wrapText(st.Warn.Render("! ")+violationText(v), s.width) + "\n")
	}
	var b strings.Builder
	data, _ := json.MarshalIndent(s.file.Definition, "", "  ")
	s.json.Width = s.width
	s.json.Height = max(s.height-6-strings.Count(notes.String(), "\n")-strings.Count(s.resultText(), "\n"), 3)
	s.json.SetContent(st.Code.Render(termsafe.Clean(string(data))))
	scroll := ""
	if s.json.TotalLineCount() > s.json.Height {
		scroll = st.Subtle.Render(fmt.Sprintf("  (↑/↓ scroll, %d lines)", s.json.TotalLineCount()))
	}
	b.WriteString(st.Bold.Render("JSON to send") + scroll + "\n" + s.json.View() + "\n" + notes.String())
	switch {
	case s.work.busy:
		b.WriteString(s.work.view(s.env, "Talking to the system register…"))
	case s.err != nil:
		b.WriteString(errorBox(st, s.err, s.width))
	case s.result != nil:
		b.WriteString(s.resultText())
		if strings.HasPrefix(s.result.Action, "would") {
			b.WriteString(hint(st, "enter", "register") + "   ")
		} else {
			b.WriteString(hint(st, "enter", "continue") + "   ")
		}
		b.WriteString(hint(st, "e", "edit"))
	case len(s.file.Problems) > 0:
		b.WriteString(hint(st, "e", "edit") + "   " + hint(st, "i", "import another file"))
	default:
		b.WriteString(hint(st, "enter", "register or update") + "   " + hint(st, "d", "compare only") + "   " + hint(st, "e", "edit"))
	}
	return b.String()
}

func (s *systemStep) resultText() string {
	if s.result == nil {
		return ""
	}
	out := s.env.Styles.Pass.Render(fmt.Sprintf("System %s: %s", s.result.SystemID, strings.ReplaceAll(s.result.Action, "-", " "))) + "\n"
	for _, c := range s.result.Changes {
		out += "  " + termsafe.Line(c) + "\n"
	}
	return out
}

func violationText(v altinn.Violation) string {
	t := termsafe.Line(v.Field) + ": " + termsafe.Line(v.Message)
	if v.Code != "" {
		t += " [" + v.Code + "]"
		if p, ok := altinn.ProblemFor(v.Code); ok {
			t += " → " + p.Fix
		}
	}
	return t
}

func (s *systemStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.setSize(w, max(h-2, 10))
	}
}

func (s *systemStep) ShortHelp() []key.Binding {
	switch s.mode {
	case sysForm, sysImport:
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))}
	case sysPreview:
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "register")),
			key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "form")),
		key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "import")),
	}
}
func (s *systemStep) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(s.ShortHelp(), key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "compare only (dry run)")))}
}
func (s *systemStep) Done() bool {
	return s.result != nil && s.err == nil && !strings.HasPrefix(s.result.Action, "would")
}
func (s *systemStep) Busy() bool      { return s.work.busy }
func (s *systemStep) Capturing() bool { return s.mode == sysForm || s.mode == sysImport }
func (s *systemStep) Summary() string { return s.env.Flow.SystemID }
