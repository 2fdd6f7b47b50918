package page

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// callStep is step 8: call the API with the system-user token and show the answer.
type callStep struct {
	env           *kit.Env
	index         int
	work          kit.Work
	width, height int
	input         textinput.Model
	// before is the URL when editing began: esc restores it.
	before string
	// client asks an agent system user's step for the client organisation to call for;
	// clientErr is its rule broken, shown under it (the typed value stays).
	client    textinput.Model
	clientErr string
	// clients is what Altinn's authorized-parties list says the agent system user acts for,
	// read when the client prompt opens; picked is the one ↑/↓ chose.
	clients clientsView
	headers bool
	result  *steps.CallResult
	err     error
	calls   int
}

// clientsView is the client prompt's list: read from Altinn each time the prompt opens.
type clientsView struct {
	seq     int
	stop    context.CancelFunc
	loading bool
	list    *steps.ClientList
	err     error
	picked  int
}

// clientsListMsg carries Altinn's list of the agent system user's clients.
type clientsListMsg struct {
	seq  int
	list *steps.ClientList
	err  error
}

// callResultMsg carries an API answer.
type callResultMsg struct {
	seq    int
	result *steps.CallResult
	err    error
}

// NewCall is step 8 at index.
func NewCall(env *kit.Env, index int) *callStep {
	in := textinput.New()
	in.Prompt = "URL: " //i18n:ignore the field is a URL in every language
	in.CharLimit = 2048
	client := textinput.New()
	client.Prompt = env.T("page.call.client_prompt") + " "
	client.CharLimit = 11
	client.Placeholder = env.T("page.call.client_placeholder")
	return &callStep{env: env, index: index, work: kit.NewWork(), input: in, client: client}
}

func (s *callStep) Title() string { return s.env.T("page.call.title") }
func (s *callStep) Short() string { return s.env.T("page.call.short") }
func (s *callStep) Stop()         { s.work.Stop(); s.stopClients() }
func (s *callStep) Cancel()       { s.work.Cancel() }
func (s *callStep) Leave() {
	s.closeClient()
	if s.input.Focused() {
		s.input.SetValue(s.before)
		s.input.Blur()
	}
}

// Reset forgets the answer: it was for another system user or token.
func (s *callStep) Reset() {
	s.work.Cancel()
	s.result, s.err, s.calls = nil, nil, 0
}

func (s *callStep) defaultURL() string {
	return steps.DefaultAPIURL(s.env.Session, s.env.Opts.SampleAPIPath)
}

func (s *callStep) Enter() tea.Cmd {
	if s.input.Value() == "" {
		u := s.env.Flow.APIURL
		if u == "" {
			u = s.defaultURL()
		}
		s.input.SetValue(u)
	}
	return nil
}

func (s *callStep) call() tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	f := s.env.Flow
	p := steps.CallParams{URL: strings.TrimSpace(s.input.Value()), SystemUserOrg: orgno.Normalize(f.CustomerOrg), ExternalRef: f.ExternalRef}
	if f.Scope != "" && !steps.IsDialogportenURL(p.URL) {
		p.Scopes = []string{f.Scope} // Dialogporten takes its own scope, digdir:dialogporten
	}
	sess := s.env.Session
	return tea.Batch(tick, func() tea.Msg {
		r, err := steps.CallAPI(ctx, sess, p)
		return callResultMsg{seq: seq, result: r, err: err}
	})
}

func (s *callStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case callResultMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		s.result, s.err = msg.result, msg.err
		if msg.err != nil {
			return nil
		}
		s.calls++
		s.rememberAPIURL()
		if msg.result.Status < 400 {
			return kit.Complete(s.index)
		}
		return nil
	case clientsListMsg:
		if msg.seq != s.clients.seq {
			return nil
		}
		s.stopClients()
		s.clients.list, s.clients.err, s.clients.picked = msg.list, msg.err, -1
		return nil
	case tea.KeyMsg:
		if s.client.Focused() {
			var cmd tea.Cmd
			s.client, cmd = s.client.Update(msg)
			return cmd
		}
		if s.input.Focused() {
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return cmd
		}
		return nil
	}
	return s.work.Update(msg)
}

func (s *callStep) editURL() tea.Cmd {
	s.before = s.input.Value()
	s.input.CursorEnd() // t and k set the URL with the cursor at its start
	return s.input.Focus()
}

func (s *callStep) Actions() []kit.Action {
	k := s.env.Keys
	call := func() tea.Cmd { s.input.Blur(); return s.call() }
	if s.client.Focused() {
		out := []kit.Action{
			kit.Act(kit.With(k.Enter, s.env.T("page.call.key.for_client")), s.callForClient),
			kit.Act(kit.With(k.Cancel, s.env.T("page.call.key.cancel")), func() tea.Cmd { s.closeClient(); s.clientErr = ""; return nil }),
		}
		if l := s.clients.list; l != nil && len(l.Clients) > 0 {
			out = append(out, kit.Act(kit.With(k.PickNext, s.env.T("page.call.key.pick")), func() tea.Cmd { s.pick(+1); return nil }),
				kit.Act(kit.With(k.Up, s.env.T("page.call.key.previous")), func() tea.Cmd { s.pick(-1); return nil }).More())
		}
		return out
	}
	if s.input.Focused() {
		return []kit.Action{
			kit.Act(kit.With(k.Enter, s.env.T("page.call.key.call_url")), call),
			kit.Act(kit.With(k.Cancel, s.env.T("page.call.key.cancel_edit")), func() tea.Cmd { s.input.SetValue(s.before); s.input.Blur(); return nil }),
		}
	}
	label := s.env.T("page.call.key.call")
	if s.result != nil {
		label = s.env.T("page.call.key.again")
	}
	target := "Dialogporten" //i18n:ignore a service's name
	if steps.IsDialogportenURL(s.input.Value()) {
		target = "Skatteetaten" //i18n:ignore a service's name
	}
	out := []kit.Action{kit.Act(kit.With(k.Enter, label), call), kit.Act(k.EditURL, s.editURL)}
	if s.env.Flow.Agent {
		out = append(out, kit.Act(k.Client, s.openClient))
	}
	out = append(out, kit.Act(kit.With(k.Target, target), s.switchTarget))
	if s.result != nil {
		name := s.env.T("page.call.key.show_headers")
		if s.headers {
			name = s.env.T("page.call.key.hide_headers")
		}
		out = append(out, kit.Act(kit.With(k.Headers, name), func() tea.Cmd { s.headers = !s.headers; return nil }))
	}
	return out
}

// maxShown caps the body drawn on screen; the whole answer is in the call's result.
const maxShown = 64 << 10

func (s *callStep) answer() string {
	var b strings.Builder
	if s.headers {
		for _, k := range slices.Sorted(maps.Keys(s.result.Headers)) {
			fmt.Fprintf(&b, "%s: %s\n", k, termsafe.Line(s.result.Headers[k]))
		}
		b.WriteString("\n")
	}
	body := s.result.Body
	if len(body) > maxShown {
		body = body[:maxShown] + "\n" + s.env.T("page.call.rest_not_shown")
	}
	b.WriteString(termsafe.Clean(body))
	if s.result.Truncated {
		b.WriteString("\n" + s.env.T("page.call.cut"))
	}
	return b.String()
}

func (s *callStep) View() string {
	st := s.env.Styles
	var b strings.Builder
	if s.input.Focused() {
		b.WriteString(s.input.View() + "\n")
	} else {
		// Shown whole: the field's own view is a window on the URL, which after t or k
		// showed its middle, with no sign that anything was cut.
		b.WriteString(kit.WrapText(s.input.Prompt+termsafe.Line(s.input.Value()), s.width) + "\n")
	}
	b.WriteString(st.Subtle.Render(s.env.T("page.call.as", "Org", termsafe.Line(s.env.Flow.CustomerOrg), "Ref", refNote(s.env.Flow.ExternalRef))) + "\n")
	if s.env.Flow.Agent {
		b.WriteString(st.Subtle.Render(s.env.T("page.call.agent")) + "\n")
		if s.client.Focused() || s.clientErr != "" {
			b.WriteString(s.client.View() + "\n")
		}
		if s.clientErr != "" {
			b.WriteString(st.Error.Render("✗ "+termsafe.Line(s.clientErr)) + "\n")
		}
		if s.client.Focused() {
			b.WriteString(s.clientsList())
		}
	}
	b.WriteString("\n")
	switch {
	case s.work.Busy:
		b.WriteString(s.work.View(s.env, s.env.T("page.call.busy")))
		return b.String()
	case s.err != nil:
		return b.String() + st.Error.Render(kit.Explained(s.env.Text, s.err))
	case s.result == nil:
		return b.String() + s.env.T("page.call.none")
	}
	r := s.result
	status := fmt.Sprintf("HTTP %d %s", r.Status, r.StatusText)
	if r.Status < 400 {
		status = st.Pass.Render(status)
	} else {
		status = st.Fail.Render(status)
	}
	result := "page.call.result"
	if !r.TokenExpiry.IsZero() && r.TokenExpiry.Before(s.env.Now()) {
		result = "page.call.result_expired" // the screen outlives the token: "expired 12s ago"
	}
	b.WriteString(s.env.T(result, "Status", status, "Note", st.Info.Render(r.TokenNote(s.env.Session)), "Expiry", tokeninspect.RelativeIn(s.env.Text, r.TokenExpiry, s.env.Now()), "Calls", s.calls) + "\n")
	if ex := steps.ExplainCall(s.env.Session, r, steps.CallSubject{Agent: s.env.Flow.Agent, Facilitator: orgno.Normalize(s.env.Flow.CustomerOrg),
		Party: partyInURL(s.input.Value()), SystemUserID: s.env.Flow.RequestID, Packages: s.env.Flow.RequestPackages}); ex != "" {
		b.WriteString(st.Warn.Render(ex) + "\n")
	}
	if s.Done() {
		b.WriteString(st.Pass.Render(s.env.T("page.call.all_done")) + st.Subtle.Render(" "+s.env.T("page.call.all_done_note")) + "\n")
	}
	if d := r.Dialogporten; d != nil {
		for _, line := range d.Dialogs {
			b.WriteString("  • " + termsafe.Line(line) + "\n")
		}
	}
	b.WriteString("\n" + s.answer())
	return b.String()
}

func (s *callStep) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.Width = max(w-8, 20)
}

func (s *callStep) Done() bool      { return s.result != nil && s.err == nil && s.result.Status < 400 }
func (s *callStep) Busy() bool      { return s.work.Busy }
func (s *callStep) Capturing() bool { return s.input.Focused() || s.client.Focused() }

// rememberAPIURL records the field's URL as the flow's API URL ("" for the default);
// Dialogporten's list is not one, so t returns from it to the URL the user chose.
func (s *callStep) rememberAPIURL() {
	u := strings.TrimSpace(s.input.Value())
	if steps.IsDialogportenURL(u) {
		return
	}
	s.env.Flow.APIURL = ""
	if u != s.defaultURL() {
		s.env.Flow.APIURL = u
	}
}

// switchTarget swaps the URL between the Skatteetaten API and Dialogporten's dialog list of
// the customer, and calls it.
func (s *callStep) switchTarget() tea.Cmd {
	if steps.IsDialogportenURL(s.input.Value()) {
		back := s.env.Flow.APIURL
		if back == "" {
			back = s.defaultURL()
		}
		s.input.SetValue(back)
	} else {
		s.rememberAPIURL()
		s.input.SetValue(steps.DialogportenURL(s.env.Session, s.env.Flow.CustomerOrg))
	}
	s.input.CursorStart() // the host and path, not the query's tail
	return s.call()
}

// callForClient points the URL at the typed client's resource and calls it; a number that
// breaks a rule stays in the field with the rule under it.
func (s *callStep) callForClient() tea.Cmd {
	u, err := steps.ClientAPIURL(s.env.Session, s.client.Value())
	if err != nil {
		s.clientErr = err.Error()
		return nil
	}
	s.clientErr = ""
	s.closeClient()
	s.input.SetValue(u)
	return s.call()
}

// partyInURL is the organisation number a URL's path names (…/parties/{orgno}/…), or "".
func partyInURL(u string) string {
	for _, seg := range strings.Split(strings.SplitN(u, "?", 2)[0], "/") {
		if len(seg) == 9 && orgno.Validate(seg) == nil {
			return seg
		}
	}
	return ""
}

// openClient opens the client prompt and reads the agent system user's clients from Altinn
// (Access Management's authorized parties), so the prompt can offer them.
func (s *callStep) openClient() tea.Cmd {
	s.clientErr = ""
	s.stopClients()
	ctx, cancel := context.WithTimeout(s.env.Base, kit.CallTimeout)
	s.clients = clientsView{seq: s.clients.seq + 1, stop: cancel, loading: true, picked: -1}
	s.client.SetValue("") // a new client each time: typing after the last one's number made a ten-digit one
	seq, sess, f := s.clients.seq, s.env.Session, s.env.Flow
	org, ref := orgno.Normalize(f.CustomerOrg), f.ExternalRef
	return tea.Batch(s.client.Focus(), func() tea.Msg {
		l, err := steps.ListClients(ctx, sess, org, ref)
		return clientsListMsg{seq: seq, list: l, err: err}
	})
}

// closeClient closes the prompt; a list still being read is dropped.
func (s *callStep) closeClient() {
	s.client.Blur()
	s.stopClients()
	s.clients.seq++
}

func (s *callStep) stopClients() {
	if s.clients.stop != nil {
		s.clients.stop()
	}
	s.clients.stop, s.clients.loading = nil, false
}

// pick moves the choice through the list and puts the chosen client's number in the field.
func (s *callStep) pick(d int) {
	n := len(s.clients.list.Clients)
	switch {
	case s.clients.picked < 0 && d < 0:
		s.clients.picked = n - 1
	case s.clients.picked < 0:
		s.clients.picked = 0
	default:
		s.clients.picked = ((s.clients.picked+d)%n + n) % n
	}
	s.client.SetValue(s.clients.list.Clients[s.clients.picked].OrgNo)
	s.client.CursorEnd()
	s.clientErr = ""
}

// maxClientRows is how many clients the prompt shows at once (the screen is 24 rows).
const maxClientRows = 4

// clientsList is the prompt's list of clients, or why there is none.
func (s *callStep) clientsList() string {
	st, c := s.env.Styles, s.clients
	switch {
	case c.loading:
		return st.Subtle.Render(s.env.T("page.call.clients.reading")) + "\n"
	case c.err != nil:
		return st.Warn.Render(s.env.T("page.call.clients.failed", "Err", termsafe.Truncate(termsafe.Line(c.err.Error()), 300))) + "\n"
	case c.list == nil:
		return ""
	case len(c.list.Clients) == 0:
		line := s.env.T("page.call.clients.none")
		if s.env.Session.Env.IsSandbox() && s.env.Flow.RequestID != "" {
			line += " " + s.env.T("page.call.clients.sandbox", "ID", termsafe.Line(s.env.Flow.RequestID))
		}
		return st.Warn.Render(line) + "\n"
	}
	var b strings.Builder
	b.WriteString(st.Subtle.Render(s.env.T("page.call.clients.count", "N", s.env.Text.Number(len(c.list.Clients)))) + "\n")
	first := 0
	if c.picked >= maxClientRows {
		first = c.picked - maxClientRows + 1
	}
	for i := first; i < len(c.list.Clients) && i < first+maxClientRows; i++ {
		cl := c.list.Clients[i]
		mark := "  "
		if i == c.picked {
			mark = "› "
		}
		line := termsafe.Truncate(mark+cl.OrgNo+"  "+cl.Name, max(s.width-4, 20))
		if i == c.picked {
			line = st.Info.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if rest := len(c.list.Clients) - first - maxClientRows; rest > 0 {
		b.WriteString(st.Subtle.Render("  "+s.env.T("page.call.clients.more", "N", s.env.Text.Number(rest))) + "\n")
	}
	return b.String()
}
