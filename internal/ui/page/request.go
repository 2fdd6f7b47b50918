package page

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// requestStep is step 5: the customer, standard or agent, packages, external reference and
// redirect URL; then the request and its confirmUrl.
type requestStep struct {
	env           *kit.Env
	index         int
	work          kit.Work
	form          *kit.Form
	editing       bool
	width, height int

	values  reqValues
	orgName string
	// looked is the organisation number the note describes; orgNote the text under the field.
	// huh reads the note from a command's goroutine, so it is behind a lock; the form is
	// bound to noteShown, which changes (in the event loop) whenever the note does.
	looked    string
	noteShown string
	orgNote   struct {
		sync.Mutex
		v string
	}
	result *steps.RequestResult
	// plan is set when the customer already has a system user for the system: step 5 then
	// offers a change request for what it lacks instead of a new request.
	plan    *steps.ChangePlan
	loading bool
	err     error
}

// reqValues are the form's answers; saved as the step's draft while no request is made of
// them. SystemID is not part of a draft: it is read from the flow.
type reqValues struct {
	SystemID    string   `json:"-"`
	Org         string   `json:"org"`
	Packages    []string `json:"packages"`
	Agent       bool     `json:"agent"`
	ExternalRef string   `json:"external_ref"`
	Redirect    string   `json:"redirect"`
}

// requestCreatedMsg carries the create (or recreate) result, or the plan for an existing
// system user, or a created change request.
type requestCreatedMsg struct {
	seq    int
	result *steps.RequestResult
	plan   *steps.ChangePlan
	change *steps.ChangeResult
	err    error
}

// orgNameMsg carries a looked-up organisation name (err when unknown).
type orgNameMsg struct {
	org, name string
	err       error
}

// requestLoadedMsg carries a request read again on resume (its confirmUrl comes from the
// server, never from the saved progress).
type requestLoadedMsg struct {
	seq int
	req *altinn.Request
	err error
}

// recreateRequestMsg asks step 5 to delete the rejected request id and create it again. It
// may arrive before or after step 5 is entered: it needs nothing the step has loaded.
type recreateRequestMsg struct{ id string }

var _ kit.Drafter = (*requestStep)(nil)

// NewRequest is step 5 at index.
func NewRequest(env *kit.Env, index int) *requestStep {
	return &requestStep{env: env, index: index, work: kit.NewWork()}
}

func (s *requestStep) Title() string { return s.env.T("page.request.title") }
func (s *requestStep) Short() string { return s.env.T("page.request.short") }
func (s *requestStep) Stop()         { s.work.Stop() }
func (s *requestStep) Leave()        {}
func (s *requestStep) Cancel()       { s.work.Cancel() }

// Reset forgets the request: the system changed. The customer's answers stay as defaults;
// the packages to ask for are the changed system's again (they were the old system's).
func (s *requestStep) Reset() {
	s.work.Cancel()
	s.result, s.err, s.editing = nil, nil, false
	s.values.SystemID, s.values.Packages = "", nil
	f := s.env.Flow
	f.RequestID, f.ConfirmURL, f.Status, f.RequestPackages = "", "", "", nil
}

func (s *requestStep) catalog() *accesspackages.Catalog { return s.env.Session.Catalog(s.env.Base) }

// systemTerms reads the registered system from the flow (what step 4 sent).
func (s *requestStep) systemTerms() (altinn.SystemDefinition, bool) {
	var d altinn.SystemDefinition
	if s.env.Flow.SystemJSON == "" || json.Unmarshal([]byte(s.env.Flow.SystemJSON), &d) != nil {
		return d, false
	}
	return d, true
}

// restoreValues fills the form's answers from the flow (a resumed or rebuilt step).
func (s *requestStep) restoreValues() {
	f := s.env.Flow
	if s.values.SystemID == "" {
		s.values.SystemID = f.SystemID
	}
	if s.values.Org == "" {
		s.values.Org, s.values.Agent, s.values.ExternalRef = f.CustomerOrg, f.Agent, f.ExternalRef
		s.values.Packages, s.values.Redirect = slices.Clone(f.RequestPackages), f.Redirect
	}
}

// Draft is the form's answers while it is open or no request is made yet, nil before a
// customer is typed (kit.Drafter).
func (s *requestStep) Draft() json.RawMessage {
	return kit.DraftOf(s.editing || (s.result == nil && s.values.Org != ""), s.values)
}

// RestoreDraft takes back the answers saved when the wizard quit (kit.Drafter); Enter opens
// the form with them unless a request was made.
func (s *requestStep) RestoreDraft(raw json.RawMessage, _ bool) {
	if v, ok := kit.ReadDraft[reqValues](raw); ok {
		v.SystemID = s.values.SystemID
		s.values = v
	}
}

func (s *requestStep) Enter() tea.Cmd {
	f := s.env.Flow
	s.restoreValues()
	if s.result == nil && f.RequestID != "" && !s.work.Busy {
		return s.load(f.RequestID, f.Agent)
	}
	if s.result == nil && !s.editing && s.err == nil && !s.work.Busy {
		return s.edit()
	}
	if s.editing {
		return s.form.Init()
	}
	return nil
}

// load reads the saved request from Altinn (resume).
func (s *requestStep) load(id string, agent bool) tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess, org := s.env.Session, orgno.Normalize(s.env.Flow.CustomerOrg)
	s.loading = true
	change := s.env.Flow.Change
	return tea.Batch(tick, func() tea.Msg {
		if change {
			cr, err := sess.Altinn().GetChangeRequest(ctx, id)
			if err != nil {
				return requestLoadedMsg{seq: seq, err: err}
			}
			return requestLoadedMsg{seq: seq, req: &altinn.Request{ID: cr.ID, Status: cr.Status, ConfirmURL: cr.ConfirmURL, PartyOrgNo: cr.PartyOrgNo, ExternalRef: cr.ExternalRef}}
		}
		r, err := sess.Altinn().GetRequest(ctx, id, agent)
		return requestLoadedMsg{seq: seq, req: r, err: err}
	}, func() tea.Msg {
		name, err := steps.OrgName(ctx, sess, org)
		return orgNameMsg{org: org, name: name, err: err}
	})
}

func (s *requestStep) packageOptions() []huh.Option[string] {
	cat := s.catalog()
	var urns []string
	if d, ok := s.systemTerms(); ok {
		for _, p := range d.AccessPackages {
			urns = append(urns, accesspackages.URN(p.URN))
		}
	}
	if len(s.values.Packages) == 0 {
		s.values.Packages = slices.Clone(urns) // the system's packages, until changed
	}
	if len(urns) == 0 {
		for _, p := range cat.All() {
			if p.Usable() {
				urns = append(urns, p.URN)
			}
		}
	}
	var opts []huh.Option[string]
	for _, u := range urns {
		label := strings.TrimPrefix(u, accesspackages.URNPrefix)
		if p, ok := cat.Lookup(u); ok {
			switch {
			case p.ClientOnly():
				label += " " + s.env.T("page.request.agent_only")
			case !p.IsDelegable:
				label += " " + s.env.T("page.request.standard_only")
			}
		}
		opts = append(opts, huh.NewOption(label, u).Selected(slices.Contains(s.values.Packages, u)))
	}
	return opts
}

func (s *requestStep) redirectOptions() []huh.Option[string] {
	opts := []huh.Option[string]{huh.NewOption(s.env.T("page.request.no_redirect"), "")}
	known := s.values.Redirect == ""
	if d, ok := s.systemTerms(); ok {
		for _, u := range d.AllowedRedirectURLs {
			opts = append(opts, huh.NewOption(u, u))
			known = known || u == s.values.Redirect
		}
	}
	if !known {
		s.values.Redirect = ""
	}
	return opts
}

func (s *requestStep) edit() tea.Cmd {
	cat := s.catalog()
	s.form = kit.NewForm(
		huh.NewGroup(
			huh.NewInput().Title(s.env.T("page.request.form.org")).
				// The step looks the number up as it changes and sets the note; huh redraws
				// the description when noteShown changes.
				DescriptionFunc(s.note, &s.noteShown).
				Value(&s.values.Org).Validate(func(v string) error {
				return steps.OrgNoError(s.env.Text, orgno.Validate(orgno.Normalize(v)))
			}),
			huh.NewMultiSelect[string]().Title(s.env.T("page.request.form.packages")).Options(s.packageOptions()...).Value(&s.values.Packages).Height(8).
				// No error here: huh shows a field's error as soon as it has focus and keeps
				// shift+tab from leaving it; the agent question below asks for a package.
				Validate(func(v []string) error {
					if agent, _ := agentOnly(v, cat); agent {
						s.values.Agent = true
					}
					return nil
				}),
		),
		huh.NewGroup(
			kit.NewConfirm(s.env).Title(s.env.T("page.request.form.agent")).
				DescriptionFunc(func() string { return s.agentAdvice(cat) }, &s.values.Packages).
				Value(&s.values.Agent).Validate(func(agent bool) error {
				rights := s.systemRights()
				if len(s.values.Packages) == 0 && (len(rights) == 0 || agent) {
					if len(rights) > 0 {
						return errors.New(s.env.T("page.request.form.rights_standard"))
					}
					return errors.New(s.env.T("page.request.form.no_package"))
				}
				if forced, codes := agentOnly(s.values.Packages, cat); forced && !agent {
					return errors.New(s.env.T("page.request.form.agent_only", "Codes", strings.Join(codes, ", ")))
				}
				return nil
			}),
			huh.NewInput().Title(s.env.T("page.request.form.ref")).
				Description(s.env.T("page.request.form.ref_help")).Value(&s.values.ExternalRef).
				Validate(func(v string) error {
					if len(v) > 255 || strings.ContainsAny(v, "/?#") {
						return errors.New(s.env.T("page.request.form.ref_invalid"))
					}
					return nil
				}),
			huh.NewSelect[string]().Title(s.env.T("page.request.form.redirect")).Options(s.redirectOptions()...).Value(&s.values.Redirect),
		),
	)
	s.form.SetSize(s.width, s.height-1)
	s.editing = true
	s.looked = "-" // describe the number in the field now
	return tea.Batch(s.form.Init(), s.lookup())
}

// orgHelp describes the organisation number field while it holds no valid number.
func (s *requestStep) orgHelp() string { return s.env.T("page.request.form.org_help") }

func (s *requestStep) note() string {
	s.orgNote.Lock()
	defer s.orgNote.Unlock()
	if s.orgNote.v == "" {
		return s.orgHelp()
	}
	return s.orgNote.v
}

func (s *requestStep) setNote(v string) {
	s.orgNote.Lock()
	s.orgNote.v = v
	s.orgNote.Unlock()
	s.noteShown = v
}

// lookup names the organisation in the field once the number changes to a valid one
// (Enhetsregisteret, or the sandbox's stand-in). The note always describes the number in
// the field: a late answer for an older number is dropped.
func (s *requestStep) lookup() tea.Cmd {
	org := orgno.Normalize(s.values.Org)
	if org == s.looked {
		return nil
	}
	s.looked = org
	if orgno.Validate(org) != nil {
		s.setNote(s.orgHelp())
		return nil
	}
	s.setNote(s.env.T("page.request.org.looking_up", "Org", org))
	ctx, sess := s.env.Base, s.env.Session
	return func() tea.Msg {
		name, err := steps.OrgName(ctx, sess, org)
		return orgNameMsg{org: org, name: name, err: err}
	}
}

func (s *requestStep) unknownOrgNote(org string) string {
	if s.env.Session.Env.IsSandbox() {
		return s.env.T("page.request.org.not_in_sandbox", "Org", org)
	}
	return s.env.T("page.request.org.not_found", "Org", org)
}

// agentOnly says whether the packages (URNs) are for agent (client) system users only, and
// names the ones that make it so.
func agentOnly(urns []string, cat *accesspackages.Catalog) (bool, []string) {
	refs := make([]altinn.PackageRef, len(urns))
	for i, u := range urns {
		refs[i] = altinn.PackageRef{URN: u}
	}
	return altinn.SuggestAgent(refs, cat)
}

func (s *requestStep) agentAdvice(cat *accesspackages.Catalog) string {
	if forced, codes := agentOnly(s.values.Packages, cat); forced {
		// Wrapped here, at spaces: huh would break the package codes at their hyphens.
		return kit.WrapText(s.env.N("page.request.form.agent_required", len(codes), "Codes", strings.Join(codes, ", ")), s.width-4)
	}
	return kit.WrapText(s.env.T("page.request.form.agent_help"), s.width-4)
}

func (s *requestStep) params() steps.RequestParams {
	p := steps.RequestParams{SystemID: strings.TrimSpace(s.values.SystemID), OrgNo: orgno.Normalize(s.values.Org), Packages: s.values.Packages,
		Agent: s.values.Agent, ExternalRef: strings.TrimSpace(s.values.ExternalRef), RedirectURL: s.values.Redirect}
	if !p.Agent {
		p.Rights = s.systemRights() // a standard request asks for the system's rights too
	}
	return p
}

// systemRights are the resource ids of the rights the system (step 4) may ask for; agent
// system users cannot hold rights.
func (s *requestStep) systemRights() []string {
	d, ok := s.systemTerms()
	if !ok {
		return nil
	}
	var ids []string
	for _, r := range d.Rights {
		for _, a := range r.Resource {
			if a.ID == altinn.ResourceAttribute && a.Value != "" {
				ids = append(ids, a.Value)
			}
		}
	}
	return ids
}

func (s *requestStep) submit(recreateID string) tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess, p := s.env.Session, s.params()
	org := p.OrgNo
	return tea.Batch(tick, func() tea.Msg {
		var r *steps.RequestResult
		var err error
		if recreateID != "" {
			r, err = steps.RecreateRequest(ctx, sess, recreateID, p)
		} else {
			// An existing system user for the system: a change request, not a new one.
			if plan, perr := steps.PlanChange(ctx, sess, p); perr == nil && plan != nil {
				return requestCreatedMsg{seq: seq, plan: plan}
			}
			r, err = steps.CreateRequest(ctx, sess, p)
		}
		return requestCreatedMsg{seq: seq, result: r, err: err}
	}, func() tea.Msg {
		name, err := steps.OrgName(ctx, sess, org)
		return orgNameMsg{org: org, name: name, err: err}
	})
}

// submitChange asks for the change the plan names.
func (s *requestStep) submitChange() tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess, p := s.env.Session, s.plan.Params(s.values.Redirect)
	return tea.Batch(tick, func() tea.Msg {
		r, err := steps.CreateChangeRequest(ctx, sess, p)
		return requestCreatedMsg{seq: seq, change: r, err: err}
	})
}

// planned handles a plan for an existing system user: nothing to add means the system user is
// ready (step 6 sees it Accepted); otherwise the step waits for k.
func (s *requestStep) planned(plan *steps.ChangePlan) tea.Cmd {
	s.plan, s.result = plan, nil
	if plan.Needed() || plan.Agent {
		return nil
	}
	su := plan.SystemUser
	f := s.env.Flow
	var cmds []tea.Cmd
	if f.RequestID != su.ID {
		cmds = append(cmds, kit.Invalidate(s.index+1, s.index))
	}
	f.CustomerOrg, f.Agent, f.ExternalRef = su.ReporteeOrgNo, s.values.Agent, s.values.ExternalRef
	f.RequestID, f.ConfirmURL, f.Status, f.Change = su.ID, "", altinn.StatusAccepted, false
	s.result = &steps.RequestResult{Request: &altinn.Request{ID: su.ID, Status: altinn.StatusAccepted, PartyOrgNo: su.ReporteeOrgNo, ExternalRef: su.ExternalRef},
		Note: plan.Summary(s.env.Session) + "."}
	return tea.Batch(append(cmds, kit.Complete(s.index))...)
}

// changed records a created change request in the flow; step 6 follows it like a request.
func (s *requestStep) changed(c *steps.ChangeResult) tea.Cmd {
	cr := c.ChangeRequest
	f := s.env.Flow
	var cmds []tea.Cmd
	if f.RequestID != cr.ID {
		// Approval, token and call were about another request.
		cmds = append(cmds, kit.Invalidate(s.index+1, s.index))
	}
	f.CustomerOrg, f.Agent, f.ExternalRef = cr.PartyOrgNo, false, s.values.ExternalRef
	f.RequestID, f.ConfirmURL, f.Status, f.Change = cr.ID, cr.ConfirmURL, cr.Status, true
	note := c.Note
	if note == "" {
		note = s.env.T("page.request.change_created")
	}
	s.result = &steps.RequestResult{Request: &altinn.Request{ID: cr.ID, Status: cr.Status, ConfirmURL: cr.ConfirmURL, PartyOrgNo: cr.PartyOrgNo, ExternalRef: cr.ExternalRef},
		Created: c.Created, Note: note}
	s.plan = nil
	if cr.Status == altinn.StatusNew || cr.Status == altinn.StatusAccepted {
		cmds = append(cmds, kit.Complete(s.index))
	}
	return tea.Batch(cmds...)
}

func (s *requestStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case orgNameMsg:
		if msg.org != orgno.Normalize(s.values.Org) {
			return nil
		}
		if msg.err != nil {
			s.orgName = ""
			s.setNote(s.unknownOrgNote(msg.org))
		} else {
			s.orgName = msg.name
			s.setNote(msg.org + ": " + msg.name)
		}
		if s.editing {
			cmd, _ := s.form.Update(msg)
			return cmd
		}
		return nil
	case requestLoadedMsg:
		s.loading = false
		if !s.work.Finish(msg.seq) {
			return nil
		}
		if msg.err != nil {
			s.err = fmt.Errorf("%s: %w", s.env.T("page.request.reread_failed", "ID", s.env.Flow.RequestID), msg.err)
			return nil
		}
		s.result, s.err = &steps.RequestResult{Request: msg.req}, nil
		f := s.env.Flow
		f.ConfirmURL, f.Status = msg.req.ConfirmURL, msg.req.Status
		return nil
	}
	if s.editing {
		cmd, state := s.form.Update(msg)
		if _, ok := msg.(tea.KeyMsg); ok && !s.values.Agent {
			// huh's n (and the toggle) answer No and move on; the packages leave only Yes.
			s.values.Agent, _ = agentOnly(s.values.Packages, s.catalog())
		}
		switch state {
		case huh.StateCompleted:
			s.editing = false
			s.err = nil
			return s.submit("")
		case huh.StateAborted:
			s.editing = false
		}
		return tea.Batch(cmd, s.lookup(), s.work.Update(msg))
	}
	switch msg := msg.(type) {
	case requestCreatedMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		s.err = msg.err
		if msg.err != nil {
			if msg.change == nil && msg.plan == nil {
				s.result = nil
			}
			return nil
		}
		switch {
		case msg.plan != nil:
			return s.planned(msg.plan)
		case msg.change != nil:
			return s.changed(msg.change)
		}
		s.result, s.plan = msg.result, nil
		r := msg.result.Request
		f := s.env.Flow
		changed := f.RequestID != r.ID
		f.CustomerOrg, f.Agent, f.ExternalRef = r.PartyOrgNo, s.values.Agent, s.values.ExternalRef
		f.RequestPackages, f.Redirect = slices.Clone(s.values.Packages), s.values.Redirect
		f.RequestID, f.ConfirmURL, f.Status, f.Change = r.ID, r.ConfirmURL, r.Status, false
		var cmds []tea.Cmd
		if changed {
			// A new request: approval, token and call were about the old one.
			cmds = append(cmds, kit.Invalidate(s.index+1, s.index))
		}
		if r.Status == altinn.StatusNew || r.Status == altinn.StatusAccepted {
			cmds = append(cmds, kit.Complete(s.index))
		}
		return tea.Batch(cmds...)
	case recreateRequestMsg:
		if msg.id == "" {
			return nil
		}
		s.restoreValues()
		return s.submit(msg.id)
	}
	return s.work.Update(msg)
}

func (s *requestStep) Actions() []kit.Action {
	k := s.env.Keys
	if s.editing {
		return s.form.Actions(k, func() tea.Cmd { s.editing = false; return nil }, s.env.T("page.form.leave"))
	}
	edit := kit.Act(kit.With(k.Edit, s.env.T("page.request.key.edit_again")), s.edit)
	switch {
	case s.err != nil:
		var verr *steps.ViolationsError
		if errors.As(s.err, &verr) {
			return []kit.Action{with2(edit, s.env.T("page.request.key.edit"))}
		}
		retry := kit.Act(k.Retry, func() tea.Cmd { return s.submit("") })
		if s.env.Flow.RequestID != "" && s.result == nil {
			retry = kit.Act(k.Retry, func() tea.Cmd { s.err = nil; return s.load(s.env.Flow.RequestID, s.env.Flow.Agent) })
		}
		return []kit.Action{retry, with2(edit, s.env.T("page.request.key.edit"))}
	case s.result == nil && s.plan.Needed() && !s.plan.Agent:
		return []kit.Action{kit.Act(k.Change, s.submitChange), with2(edit, s.env.T("page.request.key.edit"))}
	case s.result == nil && s.plan != nil:
		return []kit.Action{with2(edit, s.env.T("page.request.key.edit_request"))}
	case s.result == nil:
		return []kit.Action{with2(edit, s.env.T("page.request.key.fill_in"))}
	}
	out := []kit.Action{kit.Continue(k.Enter), edit,
		kit.Act(kit.With(k.Copy, s.env.T("page.request.key.copy")), func() tea.Cmd {
			if err := s.env.Clipboard(s.result.Request.ConfirmURL); err != nil {
				return kit.Notice(s.env.T("page.clipboard.failed", "Err", err.Error()))
			}
			return kit.Notice(s.env.T("page.request.copied"))
		})}
	if st := s.result.Request.Status; st == altinn.StatusRejected || st == altinn.StatusDenied {
		out = append(out, kit.Act(k.Recreate, func() tea.Cmd { return s.submit(s.result.Request.ID) }))
	}
	return out
}

func with2(a kit.Action, desc string) kit.Action { a.Key = kit.With(a.Key, desc); return a }

func (s *requestStep) View() string {
	st := s.env.Styles
	if s.editing {
		return st.Subtle.Render(s.env.T("page.request.for_system", "ID", termsafe.Line(s.values.SystemID))) + "\n" + s.form.View()
	}
	var b strings.Builder
	switch {
	case s.work.Busy && s.loading:
		b.WriteString(s.work.View(s.env, s.env.T("page.request.reading", "ID", termsafe.Line(s.env.Flow.RequestID))))
		return b.String()
	case s.work.Busy:
		b.WriteString(s.work.View(s.env, s.env.T("page.request.busy")))
		return b.String()
	case s.err != nil:
		var verr *steps.ViolationsError
		if errors.As(s.err, &verr) {
			b.WriteString(st.Fail.Render(s.env.T("page.request.not_sent")) + "\n")
			for _, v := range verr.Violations {
				b.WriteString("  " + kit.ViolationText(s.env.Text, v) + "\n")
			}
			return b.String()
		}
		return kit.ErrorBox(s.env, s.err, s.width)
	case s.result == nil && s.plan != nil:
		return s.planView()
	case s.result == nil:
		return s.env.T("page.request.none")
	}
	r := s.result.Request
	kind := s.env.T("page.request.kind.standard")
	if s.env.Flow.Agent {
		kind = s.env.T("page.request.kind.agent")
	}
	org := termsafe.Line(r.PartyOrgNo)
	if s.orgName != "" {
		org += " " + st.Subtle.Render(s.orgName)
	}
	if s.env.Flow.Change {
		kind = s.env.T("page.request.kind.change")
	}
	l := padLabels(s.env.T("page.request.row.request"), s.env.T("page.request.row.status"), s.env.T("page.request.row.customer"),
		s.env.T("page.request.row.ref"), s.env.T("page.request.row.confirm"))
	fmt.Fprintf(&b, "%s%s (%s)\n", l[0], termsafe.Line(r.ID), kind)
	status := r.Status
	if f := s.env.Flow; f.RequestID == r.ID && f.Status != "" {
		status = f.Status // step 6 follows the request: its status is the newer one
	}
	fmt.Fprintf(&b, "%s%s\n", l[1], statusText(s.env, status))
	fmt.Fprintf(&b, "%s%s\n", l[2], org)
	if r.ExternalRef != "" {
		fmt.Fprintf(&b, "%s%s\n", l[3], termsafe.Line(r.ExternalRef))
	}
	if r.ConfirmURL != "" { // an existing system user has none to show
		fmt.Fprintf(&b, "%s%s\n", l[4], s.env.Hyperlink(r.ConfirmURL, st.Link.Render(termsafe.Line(r.ConfirmURL))))
	}
	if s.result.Note != "" {
		b.WriteString("\n" + kit.WrapText(st.Warn.Render(s.result.Note), s.width) + "\n")
	} else if s.result.Created {
		b.WriteString("\n" + st.Pass.Render(s.env.T("page.request.created")+" ") + s.env.T("page.request.created_next") + "\n")
	}
	for _, w := range s.result.Warnings {
		b.WriteString("\n" + kit.WrapText(st.Warn.Render("! "+w), s.width) + "\n")
	}
	return b.String()
}

// planView shows the customer's existing system user and what a change would add.
func (s *requestStep) planView() string {
	st, p := s.env.Styles, s.plan
	var b strings.Builder
	l := padLabels(s.env.T("page.request.row.system_user"), s.env.T("page.request.row.customer"), s.env.T("page.request.row.has"), s.env.T("page.request.row.would_add"))
	fmt.Fprintf(&b, "%s%s\n", l[0], termsafe.Line(p.SystemUser.ID))
	fmt.Fprintf(&b, "%s%s\n", l[1], termsafe.Line(p.SystemUser.ReporteeOrgNo))
	if len(p.HavePackages)+len(p.HaveRights) > 0 {
		fmt.Fprintf(&b, "%s%s\n", l[2], termsafe.Line(strings.Join(append(append([]string{}, p.HavePackages...), p.HaveRights...), ", ")))
	}
	if p.Needed() {
		fmt.Fprintf(&b, "%s%s\n", l[3], st.Warn.Render(termsafe.Line(strings.Join(append(append([]string{}, p.AddPackages...), p.AddRights...), ", "))))
	}
	b.WriteString("\n" + p.Summary(s.env.Session) + ".\n") // the keys are in the footer
	return b.String()
}

func statusText(env *kit.Env, status string) string {
	st := env.Styles
	switch status {
	case altinn.StatusAccepted:
		return st.Pass.Render(status)
	case altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout:
		return st.Fail.Render(status)
	case "":
		return st.Subtle.Render(env.T("page.request.status_unknown"))
	}
	return st.Warn.Render(status)
}

func (s *requestStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.SetSize(w, h-1)
	}
}

func (s *requestStep) Done() bool {
	return s.result != nil && s.err == nil && (s.result.Request.Status == altinn.StatusNew || s.result.Request.Status == altinn.StatusAccepted)
}
func (s *requestStep) Busy() bool      { return s.work.Busy }
func (s *requestStep) Capturing() bool { return s.editing }
