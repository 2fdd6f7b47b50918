package page

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// systemStep is step 4: describe the system (form or system.json), see the JSON that will be
// sent with every locally checkable problem, then register or update it.
type systemStep struct {
	env    *kit.Env
	index  int
	work   kit.Work
	mode   sysMode
	width  int
	height int

	values  sysValues
	form    *kit.Form
	file    *steps.SystemFile
	result  *steps.RegisterResult
	err     error
	catalog *accesspackages.Catalog
	// drafted is set when RestoreDraft gave the answers back: Enter keeps them rather than
	// the registered system's; openDraft when the wizard resumed here: Enter opens the form.
	drafted, openDraft bool
	// importErr says why the last import was not taken; what the step showed before stays.
	importErr error
	// seededClientID is the profile's client id as Enter last filled it in: an answer still
	// equal to it was not typed, and follows a new client.
	seededClientID string
}

type sysMode int

const (
	sysChoose sysMode = iota
	sysForm
	sysImport
	sysPreview
)

// sysValues are the form's fields; kept across edits so nothing typed is lost, and saved as
// the step's draft when the wizard quits before the system is registered.
type sysValues struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Packages    []string `json:"packages"`
	Rights      string   `json:"rights"`
	ClientIDs   string   `json:"client_ids"`
	Redirects   string   `json:"redirects"`
	Visible     bool     `json:"visible"`
	ImportPath  string   `json:"import_path"`
}

// systemRegisteredMsg carries the register result.
type systemRegisteredMsg struct {
	seq    int
	dryRun bool
	result *steps.RegisterResult
	err    error
}

var _ kit.Drafter = (*systemStep)(nil)

// NewSystem is step 4 at index.
func NewSystem(env *kit.Env, index int) *systemStep {
	return &systemStep{env: env, index: index, work: kit.NewWork()}
}

func (s *systemStep) Title() string { return s.env.T("page.system.title") }
func (s *systemStep) Short() string { return s.env.T("page.system.short") }
func (s *systemStep) Stop()         { s.work.Stop() }
func (s *systemStep) Leave()        {}
func (s *systemStep) Cancel()       { s.work.Cancel() }

// Reset forgets the step's screen; Enter rebuilds it from the registered system in the flow.
func (s *systemStep) Reset() {
	s.work.Cancel()
	s.file, s.result, s.err, s.importErr, s.mode = nil, nil, nil, nil, sysChoose
}

func (s *systemStep) Enter() tea.Cmd {
	if s.catalog == nil {
		s.catalog = s.env.Session.Catalog(s.env.Base)
	}
	seed := s.seedValues()
	if s.values.ID == "" {
		s.values.ID, s.values.ClientIDs = seed.ID, seed.ClientIDs
	} else if s.values.ClientIDs == s.seededClientID {
		s.values.ClientIDs = seed.ClientIDs // untouched: it follows the profile's client (step 3's u)
	}
	s.seededClientID = seed.ClientIDs
	if s.file == nil && s.env.Flow.SystemJSON != "" {
		// Registered earlier (or resumed): the flow holds what was sent.
		s.file = steps.CheckSystemJSON([]byte(s.env.Flow.SystemJSON), s.catalog, s.facts())
		if !s.drafted { // a draft is an unfinished edit of this system: its answers stay
			s.fromDefinition(s.file.Definition)
		}
		s.mode = sysPreview
		if s.env.Flow.SystemID != "" && len(s.file.Problems) == 0 {
			s.result = &steps.RegisterResult{SystemID: s.env.Flow.SystemID, Action: "registered"}
		}
	}
	s.drafted = false
	if s.openDraft {
		s.openDraft = false
		return s.openForm()
	}
	if s.mode == sysForm || s.mode == sysImport {
		return s.form.Init()
	}
	return nil
}

// Draft is the form's answers while they are not registered (or the form is open to change
// them), nil while they are as the step first filled them in (kit.Drafter).
func (s *systemStep) Draft() json.RawMessage {
	unfinished := !s.registered() || s.mode == sysForm
	return kit.DraftOf(unfinished && !s.untouched(), s.values)
}

// RestoreDraft takes back the answers saved when the wizard quit (kit.Drafter); the form
// opens with them on Enter when the wizard resumes here.
func (s *systemStep) RestoreDraft(raw json.RawMessage, open bool) {
	if v, ok := kit.ReadDraft[sysValues](raw); ok {
		s.values, s.drafted, s.openDraft = v, true, open
	}
}

// seedValues are the answers Enter fills in before anything is typed: the profile's org
// number as the id's prefix, and its client id.
func (s *systemStep) seedValues() sysValues {
	p := s.env.Session.Profile
	return sysValues{ID: p.OrgNo + "_", ClientIDs: p.ClientID}
}

// untouched reports answers as Enter first fills them in (or not yet): nothing typed.
func (s *systemStep) untouched() bool {
	v, seed := s.values, s.seedValues()
	return (v.ID == "" || v.ID == seed.ID) && (v.ClientIDs == "" || v.ClientIDs == seed.ClientIDs) &&
		v.Name == "" && v.Description == "" && len(v.Packages) == 0 && v.Rights == "" && v.Redirects == "" && !v.Visible && v.ImportPath == ""
}

func (s *systemStep) facts() *steps.ProfileFacts {
	p := s.env.Session.Profile
	return &steps.ProfileFacts{OrgNo: p.OrgNo, ClientID: p.ClientID}
}

func (s *systemStep) definition() altinn.SystemDefinition {
	v := s.values
	visible := v.Visible
	d := altinn.SystemDefinition{
		ID: strings.TrimSpace(v.ID), Vendor: altinn.VendorRef{ID: "0192:" + s.env.Session.Profile.OrgNo},
		Name: map[string]string{"nb": strings.TrimSpace(v.Name)}, Description: map[string]string{"nb": strings.TrimSpace(v.Description)},
		ClientID: kit.SplitList(v.ClientIDs), AllowedRedirectURLs: kit.SplitList(v.Redirects), IsVisible: &visible,
		AccessPackages: []altinn.PackageRef{}, Rights: []altinn.Right{},
	}
	for _, p := range v.Packages {
		d.AccessPackages = append(d.AccessPackages, altinn.PackageRef{URN: p})
	}
	for _, r := range kit.SplitList(v.Rights) {
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
		flags := s.env.T("page.system.flags.both")
		switch {
		case p.ClientOnly():
			flags = s.env.T("page.system.flags.agent")
		case !p.IsDelegable:
			flags = s.env.T("page.system.flags.standard")
		}
		label := termsafe.Truncate(fmt.Sprintf("%s · %s · %s", p.Code, flags, p.Area), max(s.width-8, 30))
		opts = append(opts, huh.NewOption(label, p.URN).Selected(slices.Contains(s.values.Packages, p.URN)))
	}
	return opts
}

func (s *systemStep) buildForm() *kit.Form {
	org := s.env.Session.Profile.OrgNo
	f := kit.NewForm(
		huh.NewGroup(
			huh.NewInput().Title(s.env.T("page.system.form.sysid")).Description(s.env.T("page.system.form.sysid_help")).Value(&s.values.ID).
				Validate(func(v string) error {
					if strings.TrimSpace(v) == "" {
						return errors.New(s.env.T("page.system.form.sysid_required", "Org", org))
					}
					return s.firstViolation(altinn.ValidateSystemID(strings.TrimSpace(v), org))
				}),
			huh.NewInput().Title(s.env.T("page.system.form.name")).Description(s.env.T("page.system.form.name_help")).Value(&s.values.Name).
				Validate(func(v string) error { return notEmpty(v, s.env.T("page.system.form.name_required")) }),
			huh.NewInput().Title(s.env.T("page.system.form.desc")).Value(&s.values.Description).
				Validate(func(v string) error { return notEmpty(v, s.env.T("page.system.form.desc_required")) }),
		),
		huh.NewGroup(
			huh.NewMultiSelect[string]().Title(s.env.T("page.system.form.packages")).
				Description(s.env.T("page.system.form.packages_help")).
				Options(s.packageOptions()...).Value(&s.values.Packages).Height(12).Filterable(true),
			huh.NewInput().Title(s.env.T("page.system.form.rights")).Description(s.env.T("page.system.form.rights_help")).Value(&s.values.Rights).
				Validate(func(v string) error {
					return s.firstViolation(altinn.ValidateRights(s.definition().Rights, nil))
				}),
		),
		huh.NewGroup(
			huh.NewInput().Title(s.env.T("page.system.form.clients")).Description(s.env.T("page.system.form.clients_help")).Value(&s.values.ClientIDs),
			huh.NewInput().Title(s.env.T("page.system.form.redirects")).Value(&s.values.Redirects).
				Validate(s.checkRedirects),
			kit.NewConfirm(s.env).Title(s.env.T("page.system.form.visible")).
				Description(s.env.T("page.system.form.visible_help")).Value(&s.values.Visible).
				Validate(func(v bool) error {
					if !v {
						return nil
					}
					return s.firstViolation(altinn.ValidatePackages(s.definition().AccessPackages, true, s.catalog))
				}),
		),
	)
	f.SetSize(s.width, s.height)
	return f
}

// firstViolation is the first of vs in the user's language, or nil.
func (s *systemStep) firstViolation(vs []altinn.Violation) error {
	if len(vs) == 0 {
		return nil
	}
	return steps.ViolationError(s.env.Text, vs[0])
}

// checkRedirects is the redirect field's rule, said in the user's language like the others.
func (s *systemStep) checkRedirects(v string) error {
	if viol := altinn.ValidateRedirectURLs(kit.SplitList(v)); viol != nil {
		return s.firstViolation([]altinn.Violation{*viol})
	}
	return nil
}

// notEmpty refuses a blank field with required, the field's own message.
func notEmpty(v, required string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New(required)
	}
	return nil
}

// preview checks the form's system. A system that differs from the registered one needs
// registering again, and the steps after it are stale.
func (s *systemStep) preview() tea.Cmd {
	d := s.definition()
	data, _ := json.MarshalIndent(d, "", "  ")
	return s.show(steps.CheckSystemJSON(data, s.catalog, s.facts()))
}

func (s *systemStep) show(f *steps.SystemFile) tea.Cmd {
	s.file, s.err, s.importErr, s.mode = f, nil, nil, sysPreview
	data, _ := json.Marshal(f.Definition)
	if s.env.Flow.SystemJSON != "" && string(data) == s.env.Flow.SystemJSON && s.env.Flow.SystemID != "" {
		return nil // unchanged: the registration stands
	}
	s.result = nil
	if s.env.Flow.SystemID != "" {
		return kit.Invalidate(s.index, s.index)
	}
	return nil
}

func (s *systemStep) register(dryRun bool) tea.Cmd {
	if s.file == nil || len(s.file.Problems) > 0 {
		return nil
	}
	s.importErr = nil
	ctx, seq, tick := s.work.Start(s.env)
	sess, d := s.env.Session, s.file.Definition
	return tea.Batch(tick, func() tea.Msg {
		r, err := steps.RegisterSystem(ctx, sess, d, dryRun)
		return systemRegisteredMsg{seq: seq, dryRun: dryRun, result: r, err: err}
	})
}

func (s *systemStep) Update(msg tea.Msg) tea.Cmd {
	if s.mode == sysForm || s.mode == sysImport {
		cmd, state := s.form.Update(msg)
		switch state {
		case huh.StateCompleted:
			if s.mode == sysImport {
				return s.importFile()
			}
			return s.preview()
		case huh.StateAborted:
			s.leaveForm()
		}
		return cmd
	}
	switch msg := msg.(type) {
	case systemRegisteredMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		s.result, s.err = msg.result, msg.err
		if msg.err != nil || msg.dryRun {
			return kit.ScrollTop // the outcome is at the top of the step
		}
		data, _ := json.Marshal(s.file.Definition)
		f := s.env.Flow
		changed := f.SystemJSON != string(data) || f.SystemID != msg.result.SystemID
		f.SystemID, f.SystemJSON = msg.result.SystemID, string(data)
		f.Packages = nil
		for _, p := range s.file.Definition.AccessPackages {
			f.Packages = append(f.Packages, accesspackages.URN(p.URN))
		}
		if changed {
			return tea.Batch(kit.Invalidate(s.index+1, s.index), kit.Complete(s.index), kit.ScrollTop)
		}
		return tea.Batch(kit.Complete(s.index), kit.ScrollTop)
	}
	return s.work.Update(msg)
}

// importFile reads the system.json named in the import box. Trailing commas (as in
// Skatteetaten's published example) are dropped with a warning; the file is not changed.
func (s *systemStep) importFile() tea.Cmd {
	path := kit.TypedPath(s.values.ImportPath)
	f, err := steps.ReadSystemFile(path, s.catalog, s.facts())
	if err != nil {
		s.importFailed(err)
		return nil
	}
	if len(f.Problems) > 0 && f.Problems[0].Field == "JSON" {
		if raw, rerr := os.ReadFile(path); rerr == nil {
			if fixed, n := stripTrailingCommas(raw); n > 0 {
				g := steps.CheckSystemJSON(fixed, s.catalog, s.facts())
				if len(g.Problems) == 0 || g.Problems[0].Field != "JSON" {
					g.Warnings = append([]altinn.Violation{{Field: "JSON", Message: s.env.N("page.system.commas_removed", n)}}, g.Warnings...)
					f = g
				}
			}
		}
	}
	if len(f.Problems) > 0 && f.Problems[0].Field == "JSON" {
		// Not a system definition at all: like a file that cannot be read, it replaces
		// nothing, so the form's answers and a registration stand.
		s.importFailed(fmt.Errorf("%s: %w", path, steps.ViolationError(s.env.Text, f.Problems[0])))
		return nil
	}
	s.fromDefinition(f.Definition)
	return s.show(f)
}

// stripTrailingCommas removes commas that directly precede a closing } or ] (outside
// strings), and counts them.
func stripTrailingCommas(data []byte) ([]byte, int) {
	var out []byte
	n, inString, escaped := 0, false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			escaped = !escaped && c == '\\'
			if c == '"' && !escaped {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',':
			j := i + 1
			for j < len(data) && strings.ContainsRune(" \t\r\n", rune(data[j])) {
				j++
			}
			if j < len(data) && (data[j] == '}' || data[j] == ']') {
				n++
				continue
			}
		}
		out = append(out, c)
	}
	return out, n
}

// leaveForm goes back to what was shown before the form; every answer is kept.
func (s *systemStep) leaveForm() {
	s.mode = sysChoose
	if s.file != nil {
		s.mode = sysPreview
	}
}

// importFailed says why a file was not taken and goes back to what the step showed before:
// the system as it was (registered or not) with its keys, or the choice.
func (s *systemStep) importFailed(err error) {
	s.leaveForm()
	s.importErr = err
}

func (s *systemStep) openForm() tea.Cmd {
	s.importErr = nil
	s.form = s.buildForm()
	s.mode = sysForm
	return s.form.Init()
}

func (s *systemStep) openImport() tea.Cmd {
	s.importErr = nil
	s.form = kit.NewForm(huh.NewGroup(huh.NewInput().Title(s.env.T("page.system.form.path")).
		Description(s.env.T("page.system.form.path_help")).Value(&s.values.ImportPath).
		Validate(fileReadable(s.env, "system.json"))))
	s.form.SetSize(s.width, min(s.height, 8))
	s.mode = sysImport
	return s.form.Init()
}

// registered reports a registration that matches what is shown.
func (s *systemStep) registered() bool {
	return s.result != nil && s.err == nil && !strings.HasPrefix(s.result.Action, "would")
}

func (s *systemStep) Actions() []kit.Action {
	k := s.env.Keys
	switch s.mode {
	case sysForm:
		return s.form.Actions(k, func() tea.Cmd { s.leaveForm(); return nil }, s.env.T("page.form.leave"))
	case sysImport:
		return s.form.Actions(k, func() tea.Cmd { s.leaveForm(); return nil }, s.env.T("page.form.back"))
	case sysChoose:
		return []kit.Action{kit.Act(k.Form, s.openForm), kit.Act(k.Import, s.openImport)}
	}
	edit := kit.Act(k.Edit, s.openForm)
	imp := kit.Act(k.Import, s.openImport)
	if strings.TrimSpace(s.values.ImportPath) != "" {
		imp = kit.Act(kit.With(k.Import, s.env.T("page.system.key.import_another")), s.openImport)
	}
	dry := kit.Act(k.DryRun, func() tea.Cmd { return s.register(true) })
	switch {
	case len(s.file.Problems) > 0:
		return []kit.Action{edit, imp}
	case s.registered():
		return []kit.Action{kit.Continue(k.Enter), edit, imp.More(), dry.More()}
	case s.err != nil:
		return []kit.Action{kit.Act(kit.With(k.Retry, s.env.T("page.system.key.register_again")), func() tea.Cmd { return s.register(false) }), edit, imp.More()}
	}
	label := s.env.T("page.system.key.register_or_update")
	if s.result != nil {
		label = s.env.T("page.system.key.register")
	}
	return []kit.Action{kit.Act(kit.With(k.Enter, label), func() tea.Cmd { return s.register(false) }), dry, edit, imp.More()}
}

func (s *systemStep) View() string {
	st := s.env.Styles
	switch s.mode {
	case sysForm, sysImport:
		return s.form.View()
	case sysChoose:
		var b strings.Builder
		b.WriteString(s.env.T("page.system.intro") + "\n\n")
		b.WriteString(s.env.T("page.system.choose") + "\n")
		if s.err != nil {
			b.WriteString("\n" + kit.ErrorBox(s.env, s.err, s.width))
		}
		if s.importErr != nil {
			b.WriteString("\n" + kit.ErrorBox(s.env, s.importErr, s.width))
		}
		return b.String()
	}
	var b strings.Builder
	if s.importErr != nil {
		b.WriteString(kit.ErrorBox(s.env, s.importErr, s.width) + "\n\n")
	}
	switch {
	case s.work.Busy:
		b.WriteString(s.work.View(s.env, s.env.T("page.system.busy")) + "\n")
	case s.err != nil:
		b.WriteString(kit.ErrorBox(s.env, s.err, s.width) + "\n")
	case s.result != nil:
		b.WriteString(s.resultText())
	case len(s.file.Problems) > 0:
		b.WriteString(st.Fail.Render(s.env.T("page.system.not_sent")) + "\n")
	default:
		b.WriteString(s.env.T("page.system.checked_locally") + "\n")
	}
	for _, v := range s.file.Problems {
		b.WriteString(st.Fail.Render("✗ ") + kit.ViolationText(s.env.Text, v) + "\n")
	}
	for _, v := range s.file.Warnings {
		b.WriteString(st.Warn.Render("! ") + kit.ViolationText(s.env.Text, v) + "\n")
	}
	if len(s.file.Problems) > 0 && s.file.Problems[0].Field == "JSON" {
		return b.String() // nothing could be read
	}
	data, _ := json.MarshalIndent(s.file.Definition, "", "  ")
	heading := s.env.T("page.system.json")
	if s.registered() {
		heading = s.env.T("page.system.json_sent") // what Altinn holds now, not what would go
	}
	b.WriteString("\n" + st.Bold.Render(heading) + "\n" + st.Code.Render(termsafe.Clean(string(data))))
	return b.String()
}

func (s *systemStep) resultText() string {
	if s.result == nil {
		return ""
	}
	text := s.result.ActionIn(s.env.Text)
	if s.result.Action == "registered" {
		text = s.env.T("page.system.registered_earlier")
	}
	out := s.env.Styles.Pass.Render(s.env.T("page.system.result", "ID", s.result.SystemID, "Action", text)) + "\n"
	for _, c := range s.result.Changes {
		out += "  " + termsafe.Line(c) + "\n"
	}
	return out
}

func (s *systemStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		if s.mode == sysImport {
			s.form.SetSize(w, min(h, 8))
		} else {
			s.form.SetSize(w, h)
		}
	}
}

func (s *systemStep) Done() bool      { return s.registered() }
func (s *systemStep) Busy() bool      { return s.work.Busy }
func (s *systemStep) Capturing() bool { return s.mode == sysForm || s.mode == sysImport }
