package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// requestStep is step 5: the customer, standard or agent, packages, external reference and
// redirect URL; then the request and its confirmUrl.
type requestStep struct {
	env           *Env
	index         int
	work          work
	form          *embeddedForm
	editing       bool
	width, height int

	values  reqValues
	orgName string
	// typedOrg mirrors values.Org for the description lookup, which huh runs in a command's
	// goroutine while the form writes values.Org in the event loop.
	typedOrg struct {
		sync.Mutex
		v string
	}
	result *steps.RequestResult
	// plan is set when the customer already has a system user for the system: step 5 then
	// offers a change request for what it lacks instead of a new request.
	plan *steps.ChangePlan
	err  error
}

type reqValues struct {
	SystemID    string
	Org         string
	Packages    []string
	Agent       bool
	ExternalRef string
	Redirect    string
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

// orgNameMsg carries a looked-up organisation name.
type orgNameMsg struct {
	org, name string
}

// recreateRequestMsg asks step 5 to delete the rejected request and create it again.
type recreateRequestMsg struct{}

func newRequestStep(env *Env, index int) *requestStep {
	return &requestStep{env: env, index: index, work: newWork()}
}

func (s *requestStep) Title() string { return "Ask the customer for a system user" }
func (s *requestStep) Short() string { return "Request" }
func (s *requestStep) stopWork()     { s.work.stop() }
func (s *requestStep) Leave()        {}

func (s *requestStep) catalog() *accesspackages.Catalog { return s.env.Session.Catalog(s.env.Base) }

// systemTerms reads the registered system from the flow (what step 4 sent).
func (s *requestStep) systemTerms() (altinn.SystemDefinition, bool) {
	var d altinn.SystemDefinition
	if s.env.Flow.SystemJSON == "" || json.Unmarshal([]byte(s.env.Flow.SystemJSON), &d) != nil {
		return d, false
	}
	return d, true
}

func (s *requestStep) Enter() tea.Cmd {
	f := s.env.Flow
	if s.values.SystemID == "" {
		s.values.SystemID = f.SystemID
	}
	if s.values.Org == "" {
		s.values.Org, s.values.Agent, s.values.ExternalRef = f.CustomerOrg, f.Agent, f.ExternalRef
	}
	if s.result == nil && f.RequestID != "" {
		// Resumed: show the request as it was; step 6 follows it.
		s.result = &steps.RequestResult{Request: &altinn.Request{ID: f.RequestID, ConfirmURL: f.ConfirmURL, Status: f.Status, PartyOrgNo: f.CustomerOrg, ExternalRef: f.ExternalRef}, Created: true}
	}
	if s.result == nil && !s.editing {
		return s.edit()
	}
	if s.editing {
		return s.form.init()
	}
	return nil
}

func (s *requestStep) packageOptions() []huh.Option[string] {
	cat := s.catalog()
	var urns []string
	if d, ok := s.systemTerms(); ok {
		for _, p := range d.AccessPackages {
			urns = append(urns, accesspackages.URN(p.URN))
		}
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
				label += " (agent requests only)"
			case !p.IsDelegable:
				label += " (standard requests only)"
			}
		}
		opts = append(opts, huh.NewOption(label, u).Selected(contains(s.values.Packages, u)))
	}
	return opts
}

func (s *requestStep) redirectOptions() []huh.Option[string] {
	opts := []huh.Option[string]{huh.NewOption("(none)", "")}
	if d, ok := s.systemTerms(); ok {
		for _, u := range d.AllowedRedirectURLs {
			opts = append(opts, huh.NewOption(u, u))
		}
	}
	return opts
}

func (s *requestStep) edit() tea.Cmd {
	cat := s.catalog()
	s.form = newForm(
		huh.NewGroup(
			huh.NewInput().Title("System id").Value(&s.values.SystemID).Validate(func(v string) error { return notEmpty(v, "the system id") }),
			huh.NewInput().Title("Customer's organisation number").
				// huh evaluates this in a command when the number changes, so the lookup may take
				// its (short) time without blocking the form.
				DescriptionFunc(s.orgDescription, &s.values.Org).
				Value(&s.values.Org).Validate(func(v string) error {
				s.typedOrg.Lock()
				s.typedOrg.v = v
				s.typedOrg.Unlock()
				return orgno.Validate(orgno.Normalize(v))
			}),
			huh.NewMultiSelect[string]().Title("Access packages to ask for").Options(s.packageOptions()...).Value(&s.values.Packages).Height(8).
				Validate(func(v []string) error {
					if len(v) == 0 {
						return errors.New("choose at least one package (x selects)")
					}
					refs := make([]altinn.PackageRef, len(v))
					for i, u := range v {
						refs[i] = altinn.PackageRef{URN: u}
					}
					if agent, _ := altinn.SuggestAgent(refs, cat); agent {
						s.values.Agent = true
					}
					return nil
				}),
		),
		huh.NewGroup(
			huh.NewConfirm().Title("Agent (client) system user?").
				DescriptionFunc(func() string { return s.agentAdvice(cat) }, &s.values.Packages).
				Value(&s.values.Agent).Validate(func(agent bool) error {
				refs := make([]altinn.PackageRef, len(s.values.Packages))
				for i, u := range s.values.Packages {
					refs[i] = altinn.PackageRef{URN: u}
				}
				if forced, codes := altinn.SuggestAgent(refs, cat); forced && !agent {
					return fmt.Errorf("%s can only be used by agent system users (AUTH-00064)", strings.Join(codes, ", "))
				}
				return nil
			}),
			huh.NewInput().Title("External reference (optional)").
				Description("needed again in every token request; default is the organisation number").Value(&s.values.ExternalRef).
				Validate(func(v string) error {
					if len(v) > 255 || strings.ContainsAny(v, "/?#") {
						return errors.New("at most 255 characters, without / ? #")
					}
					return nil
				}),
			huh.NewSelect[string]().Title("Redirect URL after the decision").Options(s.redirectOptions()...).Value(&s.values.Redirect),
		),
	)
	s.form.setSize(s.width, max(s.height-2, 10))
	s.editing = true
	return s.form.init()
}

// orgDescription names the organisation once the number is valid (Enhetsregisteret, or the
// sandbox's stand-in).
func (s *requestStep) orgDescription() string {
	const help = "for an agent request: the facilitator (e.g. the accounting firm) that will own the system user"
	s.typedOrg.Lock()
	org := orgno.Normalize(s.typedOrg.v)
	s.typedOrg.Unlock()
	if orgno.Validate(org) != nil {
		return help
	}
	name, err := steps.OrgName(s.env.Base, s.env.Session, org)
	if err != nil {
		return org + ": not found in Enhetsregisteret (fine for TT02's synthetic organisations)"
	}
	return org + ": " + name
}

func (s *requestStep) agentAdvice(cat *accesspackages.Catalog) string {
	refs := make([]altinn.PackageRef, len(s.values.Packages))
	for i, u := range s.values.Packages {
		refs[i] = altinn.PackageRef{URN: u}
	}
	if forced, codes := altinn.SuggestAgent(refs, cat); forced {
		return "Required: " + strings.Join(codes, ", ") + " are client packages, so the system must be isVisible false and the request an agent request."
	}
	return "No: a standard system user acts for the customer itself. Yes: an accounting or audit firm acts for its clients."
}

func (s *requestStep) params() steps.RequestParams {
	return steps.RequestParams{SystemID: strings.TrimSpace(s.values.SystemID), OrgNo: orgno.Normalize(s.values.Org), Packages: s.values.Packages,
		Agent: s.values.Agent, ExternalRef: strings.TrimSpace(s.values.ExternalRef), RedirectURL: s.values.Redirect}
}

func (s *requestStep) submit(recreateID string) tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
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
		if err != nil {
			return nil
		}
		return orgNameMsg{org: org, name: name}
	})
}

// submitChange asks for the change the plan names.
func (s *requestStep) submitChange() tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
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
	f.CustomerOrg, f.Agent, f.ExternalRef = su.ReporteeOrgNo, s.values.Agent, s.values.ExternalRef
	f.RequestID, f.ConfirmURL, f.Status, f.Change = su.ID, "", altinn.StatusAccepted, false
	s.result = &steps.RequestResult{Request: &altinn.Request{ID: su.ID, Status: altinn.StatusAccepted, PartyOrgNo: su.ReporteeOrgNo, ExternalRef: su.ExternalRef},
		Note: plan.Summary() + "."}
	return complete(s.index)
}

// changed records a created change request in the flow; step 6 follows it like a request.
func (s *requestStep) changed(c *steps.ChangeResult) tea.Cmd {
	cr := c.ChangeRequest
	f := s.env.Flow
	f.CustomerOrg, f.Agent, f.ExternalRef = cr.PartyOrgNo, false, s.values.ExternalRef
	f.RequestID, f.ConfirmURL, f.Status, f.Change = cr.ID, cr.ConfirmURL, cr.Status, true
	note := c.Note
	if note == "" {
		note = "Change request created: the customer approves it at the confirmUrl, as for a new request."
	}
	s.result = &steps.RequestResult{Request: &altinn.Request{ID: cr.ID, Status: cr.Status, ConfirmURL: cr.ConfirmURL, PartyOrgNo: cr.PartyOrgNo, ExternalRef: cr.ExternalRef},
		Created: c.Created, Note: note}
	s.plan = nil
	if cr.Status == altinn.StatusNew || cr.Status == altinn.StatusAccepted {
		return complete(s.index)
	}
	return nil
}

func (s *requestStep) Update(msg tea.Msg) tea.Cmd {
	if s.editing {
		cmd, state := s.form.update(msg)
		switch state {
		case huh.StateCompleted:
			s.editing = false
			s.err = nil
			return s.submit("")
		case huh.StateAborted:
			s.editing = false
		}
		return tea.Batch(cmd, s.work.update(msg))
	}
	switch msg := msg.(type) {
	case requestCreatedMsg:
		if !s.work.finish(msg.seq) {
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
		f.CustomerOrg, f.Agent, f.ExternalRef = r.PartyOrgNo, s.values.Agent, s.values.ExternalRef
		f.RequestID, f.ConfirmURL, f.Status, f.Change = r.ID, r.ConfirmURL, r.Status, false
		if r.Status == altinn.StatusNew || r.Status == altinn.StatusAccepted {
			return complete(s.index)
		}
		return nil
	case orgNameMsg:
		if msg.org == orgno.Normalize(s.values.Org) {
			s.orgName = msg.name
		}
		return nil
	case recreateRequestMsg:
		if s.result != nil {
			return s.submit(s.result.Request.ID)
		}
		return nil
	case tea.KeyMsg:
		if s.work.swallowKey(s.env, msg) {
			return nil
		}
		switch msg.String() {
		case "e":
			return s.edit()
		case "enter":
			if s.result != nil && s.err == nil {
				return advance
			}
			return s.edit()
		case "d":
			if s.result != nil && (s.result.Request.Status == altinn.StatusRejected || s.result.Request.Status == altinn.StatusDenied) {
				return s.submit(s.result.Request.ID)
			}
		case "r":
			if s.err != nil {
				return s.submit("")
			}
		case "c":
			if s.result != nil {
				_ = s.env.Clipboard(s.result.Request.ConfirmURL)
			}
		case "k":
			if s.result == nil && s.plan.Needed() && !s.plan.Agent {
				return s.submitChange()
			}
		}
		return nil
	}
	return s.work.update(msg)
}

func (s *requestStep) View() string {
	st := s.env.Styles
	if s.editing {
		return s.form.view()
	}
	var b strings.Builder
	switch {
	case s.work.busy:
		b.WriteString(s.work.view(s.env, "Creating the request…"))
		return b.String()
	case s.err != nil:
		var verr *steps.ViolationsError
		if errors.As(s.err, &verr) {
			b.WriteString(st.Fail.Render("Not sent; fix these first:") + "\n")
			for _, v := range verr.Violations {
				b.WriteString(wrapText("  "+violationText(v), s.width) + "\n")
			}
			b.WriteString("\n" + hint(st, "e", "edit"))
			return b.String()
		}
		return errorBox(st, s.err, s.width) + "   " + hint(st, "e", "edit")
	case s.result == nil && s.plan != nil:
		return s.planView()
	case s.result == nil:
		return hint(st, "e", "fill in the request")
	}
	r := s.result.Request
	kind := "standard"
	if s.env.Flow.Agent {
		kind = "agent"
	}
	org := termsafe.Line(r.PartyOrgNo)
	if s.orgName != "" {
		org += " " + st.Subtle.Render(s.orgName)
	}
	fmt.Fprintf(&b, "Request   %s (%s)\n", termsafe.Line(r.ID), kind)
	fmt.Fprintf(&b, "Status    %s\n", statusText(st, r.Status))
	fmt.Fprintf(&b, "Customer  %s\n", org)
	if r.ExternalRef != "" {
		fmt.Fprintf(&b, "Ref       %s\n", termsafe.Line(r.ExternalRef))
	}
	fmt.Fprintf(&b, "Confirm   %s\n", s.env.Hyperlink(r.ConfirmURL, st.Link.Render(termsafe.Line(r.ConfirmURL))))
	if s.result.Note != "" {
		b.WriteString("\n" + wrapText(st.Warn.Render(s.result.Note), s.width) + "\n")
	} else if s.result.Created {
		b.WriteString("\n" + st.Pass.Render("Created. ") + "The next step shows the confirmUrl as a QR code for the customer.\n")
	}
	b.WriteString("\n" + hint(st, "enter", "continue") + "   " + hint(st, "e", "edit and send again") + "   " + hint(st, "c", "copy URL"))
	if r.Status == altinn.StatusRejected || r.Status == altinn.StatusDenied {
		b.WriteString("   " + hint(st, "d", "delete and recreate"))
	}
	return b.String()
}

// planView shows the customer's existing system user and what a change would add.
func (s *requestStep) planView() string {
	st, p := s.env.Styles, s.plan
	var b strings.Builder
	fmt.Fprintf(&b, "System user  %s\n", termsafe.Line(p.SystemUser.ID))
	fmt.Fprintf(&b, "Customer     %s\n", termsafe.Line(p.SystemUser.ReporteeOrgNo))
	if len(p.HavePackages)+len(p.HaveRights) > 0 {
		fmt.Fprintf(&b, "Has          %s\n", termsafe.Line(strings.Join(append(append([]string{}, p.HavePackages...), p.HaveRights...), ", ")))
	}
	if p.Needed() {
		fmt.Fprintf(&b, "Would add    %s\n", st.Warn.Render(termsafe.Line(strings.Join(append(append([]string{}, p.AddPackages...), p.AddRights...), ", "))))
	}
	b.WriteString("\n" + wrapText(p.Summary()+".", s.width) + "\n\n")
	if p.Needed() && !p.Agent {
		b.WriteString(hint(st, "k", "ask for the change") + "   ")
	}
	b.WriteString(hint(st, "e", "edit"))
	return b.String()
}

func statusText(st Styles, status string) string {
	switch status {
	case altinn.StatusAccepted:
		return st.Pass.Render(status)
	case altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout:
		return st.Fail.Render(status)
	case "":
		return st.Subtle.Render("unknown")
	}
	return st.Warn.Render(status)
}

func (s *requestStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.setSize(w, max(h-2, 10))
	}
}
func (s *requestStep) ShortHelp() []key.Binding {
	if s.editing {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next field"))}
	}
	if s.result == nil && s.plan.Needed() && !s.plan.Agent {
		return []key.Binding{
			key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "ask for the change")),
			key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
	}
}
func (s *requestStep) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(s.ShortHelp(),
		key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy confirmUrl")),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete rejected request and recreate")))}
}
func (s *requestStep) Done() bool {
	return s.result != nil && s.err == nil && (s.result.Request.Status == altinn.StatusNew || s.result.Request.Status == altinn.StatusAccepted)
}
func (s *requestStep) Busy() bool      { return s.work.busy }
func (s *requestStep) Capturing() bool { return s.editing }
func (s *requestStep) Summary() string { return s.env.Flow.RequestID }
