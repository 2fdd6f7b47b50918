package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// LineMode runs the eight steps as plain line prompts, for screen readers (ACCESSIBLE=1) and
// dumb terminals: the same step code as the TUI, no cursor movement, no colour.
type LineMode struct {
	env *kit.Env
	in  *bufio.Reader
	out io.Writer
}

// ErrInputEnded means standard input closed before the wizard finished (match it with
// errors.Is: the error the line mode returns says it in the user's language).
var ErrInputEnded = errors.New("the input ended before the wizard finished") //i18n:ignore the sentinel's own text; users read uimisc.line.input_ended

// inputEnded is ErrInputEnded in the user's language.
type inputEnded struct{ msg string }

func (e inputEnded) Error() string        { return e.msg }
func (e inputEnded) Is(target error) bool { return target == ErrInputEnded }

// NewLineMode builds the line-mode wizard on env.
func NewLineMode(env *kit.Env, in io.Reader, out io.Writer) *LineMode {
	return &LineMode{env: env, in: bufio.NewReader(in), out: out}
}

func (l *LineMode) say(format string, a ...any) { fmt.Fprintf(l.out, format+"\n", a...) }

// step prints a step's heading after an empty line.
func (l *LineMode) step(heading string) { fmt.Fprintln(l.out, "\n"+heading) }

func (l *LineMode) ask(question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(l.out, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(l.out, "%s: ", question)
	}
	line, err := l.in.ReadString('\n')
	if err != nil && line == "" {
		return "", inputEnded{l.env.T("uimisc.line.input_ended")}
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return def, nil
	}
	return line, nil
}

func (l *LineMode) yes(question string, def bool) (bool, error) {
	d := l.env.T("uimisc.line.yes_no.default_no")
	if def {
		d = l.env.T("uimisc.line.yes_no.default_yes")
	}
	a, err := l.ask(question+" ("+d+")", "")
	if err != nil {
		return false, err
	}
	if a == "" {
		return def, nil
	}
	// y answers yes in every language; j (ja) too, as the Norwegian prompts offer it.
	a = strings.ToLower(a)
	return strings.HasPrefix(a, "y") || strings.HasPrefix(a, l.env.T("uimisc.line.yes_no.yes_letter")), nil
}

func (l *LineMode) checks(cs []steps.Check) {
	for _, c := range cs {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		verdict := string(c.Verdict)
		if id := "uimisc.line.verdict." + verdict; l.env.Text.Has(id) { //i18n:ignore id prefix: uimisc.line.verdict.{pass,warn,fail,skip}
			verdict = l.env.T(id)
		}
		l.say("  %s %s: %s%s", strings.ToUpper(verdict), termsafe.Line(c.Title()), termsafe.Line(c.Detail), code)
		if c.Fix != "" && c.Verdict != steps.Pass {
			l.say("    %s", l.env.T("uimisc.line.next", "Fix", termsafe.Line(c.Fix)))
		}
	}
}

// Run walks the steps in order; ctx cancels network calls.
func (l *LineMode) Run(ctx context.Context) error {
	s := l.env.Session
	l.say("%s", l.env.T("uimisc.line.header", "Env", strings.ToUpper(s.Env.Name), "Profile", s.ProfileName, "Org", s.Profile.OrgNo))

	l.step(l.env.T("uimisc.line.step1"))
	env := steps.CheckEnvironment(ctx, s)
	l.checks(env.Checks)

	l.step(l.env.T("uimisc.line.step2"))
	for _, v := range steps.CheckScopes(ctx, s, steps.RequiredScopes(s)) {
		l.checks([]steps.Check{v.Check})
	}

	l.step(l.env.T("uimisc.line.step3"))
	key := steps.CheckKey(s)
	l.checks(key.Checks)

	l.step(l.env.T("uimisc.line.step4"))
	def, err := l.system(ctx)
	if err != nil {
		return err
	}
	r, err := steps.RegisterSystem(ctx, s, def, false)
	if err != nil {
		return l.fail(err)
	}
	l.say("%s", l.env.T("uimisc.line.system", "ID", r.SystemID, "Action", r.ActionIn(l.env.Text)))

	l.step(l.env.T("uimisc.line.step5"))
	req, agent, err := l.request(ctx, def)
	if err != nil {
		return err
	}

	l.say("\n%s\n%s", l.env.T("uimisc.line.step6"), termsafe.Line(req.ConfirmURL))
	if req.Status == altinn.StatusNew && s.Env.IsSandbox() {
		if ok, err := l.yes(l.env.T("uimisc.line.approve_now"), true); err != nil {
			return err
		} else if ok {
			if err := steps.SandboxDecide(ctx, s, req.ConfirmURL, true); err != nil {
				return l.fail(err)
			}
		}
	}
	final, err := steps.WaitForDecision(ctx, s, req.ID, agent, steps.DefaultPollBackoff, func(ev steps.PollEvent) {
		if ev.Err == nil && ev.Request.Status == altinn.StatusNew {
			next := ev.Next.String() // English keeps Go's form (5s, 1m0s), as before
			if l.env.Text.Lang() != i18n.EN {
				next = l.env.Text.Duration(ev.Next)
			}
			l.say("%s", l.env.T("uimisc.line.still_waiting", "Next", next))
		}
	})
	if err != nil {
		return l.fail(err)
	}
	l.say("%s", l.env.T("uimisc.line.status", "Status", final.Status))
	if final.Status != altinn.StatusAccepted {
		l.say("%s", steps.ExistingRequestNote(l.env.Session, final))
		return errors.New(l.env.T("uimisc.line.not_approved"))
	}

	l.step(l.env.T("uimisc.line.step7"))
	scope := ""
	for _, p := range s.Profile.Scopes {
		if strings.HasPrefix(p, "skatteetaten:") { //i18n:ignore a scope prefix, not text
			scope = p
			break
		}
	}
	// A refused token or call is explained and asked again, as steps 4 and 5 do: it used to
	// end the wizard.
	var tok *maskinporten.Token
	var in *steps.Inspection
	for {
		if scope, err = l.ask(l.env.T("uimisc.line.ask.scope"), scope); err != nil {
			return err
		}
		if tok, _, in, err = s.SystemUserToken(ctx, final.PartyOrgNo, final.ExternalRef, scope, false); err == nil {
			break
		}
		_ = l.fail(err)
		l.say("%s", l.env.T("uimisc.line.try_again"))
	}
	signature := l.env.T("uimisc.line.signature.not_verified")
	if in.Verified {
		signature = l.env.T("uimisc.line.signature.verified")
	}
	l.say("%s", l.env.T("uimisc.line.token", "Status", in.Report.Status, "Expires", l.env.Text.Clock(tok.ExpiresAt.Local()), "Signature", signature))
	if su := in.Report.SystemUser; su != nil {
		l.say("%s", l.env.T("uimisc.line.system_user", "IDs", strings.Join(su.SystemUserIDs, ", "), "System", su.SystemID, "Owner", su.OwnerOrg))
	}

	l.step(l.env.T("uimisc.line.step8"))
	u := steps.DefaultAPIURL(s, l.env.Opts.SampleAPIPath)
	for {
		if u, err = l.ask(l.env.T("uimisc.line.ask.url"), u); err != nil {
			return err
		}
		res, err := steps.CallAPI(ctx, s, steps.CallParams{URL: u, SystemUserOrg: final.PartyOrgNo, ExternalRef: final.ExternalRef, Scopes: []string{scope}})
		if err != nil {
			_ = l.fail(err)
			l.say("%s", l.env.T("uimisc.line.try_again"))
			continue
		}
		reused := l.env.T("uimisc.line.reused.no")
		if res.TokenReused {
			reused = l.env.T("uimisc.line.reused.yes")
		}
		l.say("%s\n%s", l.env.T("uimisc.line.http", "Status", res.Status, "Text", res.StatusText, "Reused", reused), res.Body)
		if res.Status < 400 {
			break
		}
		// A refusal is not the end of the wizard: say what it means and ask again.
		if ex := steps.ExplainCall(s, res, steps.CallSubject{Agent: agent, Facilitator: final.PartyOrgNo, SystemUserID: final.ID}); ex != "" {
			l.say("%s", ex)
		}
		l.say("%s", l.env.T("uimisc.line.try_again"))
	}
	l.step(l.env.T("uimisc.line.done"))
	return nil
}

func (l *LineMode) fail(err error) error {
	if kit.HasExplanation(err) {
		l.say("%s", kit.Explained(l.env.Text, err))
	} else {
		l.say("%s", l.env.T("uimisc.line.failed", "Err", kit.Explained(l.env.Text, err)))
	}
	return err
}

func (l *LineMode) system(ctx context.Context) (altinn.SystemDefinition, error) {
	s := l.env.Session
	cat := s.Catalog(ctx)
	facts := &steps.ProfileFacts{OrgNo: s.Profile.OrgNo, ClientID: s.Profile.ClientID}
	// prev holds the last answers: after "try again", enter keeps each of them.
	var prev *altinn.SystemDefinition
	for {
		path, err := l.ask(l.env.T("uimisc.line.ask.system_path"), "")
		if err != nil {
			return altinn.SystemDefinition{}, err
		}
		var f *steps.SystemFile
		if path != "" {
			if f, err = steps.ReadSystemFile(kit.TypedPath(path), cat, facts); err != nil {
				l.say("%s", err)
				continue
			}
		} else {
			d, err := l.askSystem(cat, prev)
			if err != nil {
				return d, err
			}
			prev = &d
			data, _ := json.Marshal(d)
			f = steps.CheckSystemJSON(data, cat, facts)
		}
		for _, v := range f.Problems {
			l.say("  %s %s", l.env.T("uimisc.line.problem"), kit.ViolationText(l.env.Text, v))
		}
		for _, v := range f.Warnings {
			l.say("  %s %s", l.env.T("uimisc.line.warning"), kit.ViolationText(l.env.Text, v))
		}
		if len(f.Problems) == 0 {
			data, _ := json.Marshal(f.Definition)
			l.env.Flow.SystemID, l.env.Flow.SystemJSON = f.Definition.ID, string(data)
			return f.Definition, nil
		}
		l.say("%s", l.env.T("uimisc.line.fix_and_retry"))
	}
}

func (l *LineMode) askSystem(cat *accesspackages.Catalog, prev *altinn.SystemDefinition) (altinn.SystemDefinition, error) {
	p := l.env.Session.Profile
	var err error
	ask := func(q, def string) string {
		if err != nil {
			return ""
		}
		var a string
		a, err = l.ask(q, def)
		return a
	}
	def := altinn.SystemDefinition{ID: p.OrgNo + "_", ClientID: []string{p.ClientID}}
	if prev != nil {
		def = *prev
	}
	codes := altinn.PackageCodes(def.AccessPackages)
	var rightIDs []string
	for _, r := range def.Rights {
		for _, a := range r.Resource {
			rightIDs = append(rightIDs, a.Value)
		}
	}
	t := l.env.T
	id := ask(t("uimisc.line.ask.system_id"), def.ID)
	name := ask(t("uimisc.line.ask.name"), def.Name["nb"])
	desc := ask(t("uimisc.line.ask.system_description"), def.Description["nb"])
	pkgs := ask(t("uimisc.line.ask.packages"), strings.Join(codes, ", "))
	rights := ask(t("uimisc.line.ask.rights"), strings.Join(rightIDs, ", "))
	clients := ask(t("uimisc.line.ask.clients"), strings.Join(def.ClientID, ", "))
	redirects := ask(t("uimisc.line.ask.redirects"), strings.Join(def.AllowedRedirectURLs, ", "))
	if err != nil {
		return altinn.SystemDefinition{}, err
	}
	d := altinn.SystemDefinition{ID: id, Vendor: altinn.VendorRef{ID: "0192:" + p.OrgNo}, Name: map[string]string{"nb": name},
		Description: map[string]string{"nb": desc}, ClientID: kit.SplitList(clients), AllowedRedirectURLs: kit.SplitList(redirects)}
	for _, c := range kit.SplitList(pkgs) {
		d.AccessPackages = append(d.AccessPackages, altinn.PackageRef{URN: accesspackages.URN(c)})
	}
	for _, r := range kit.SplitList(rights) {
		d.Rights = append(d.Rights, altinn.NewResourceRight(r))
	}
	agent, forcing := altinn.SuggestAgent(d.AccessPackages, cat)
	if agent {
		l.say("%s", l.env.T("uimisc.line.agent_only", "Packages", strings.Join(forcing, ", ")))
	}
	// The same default as the wizard's form: only through your requests.
	visible, yerr := l.yes(l.env.T("uimisc.line.ask.visible"), prev != nil && prev.Visible() && !agent)
	if yerr != nil {
		return d, yerr
	}
	d.IsVisible = &visible
	return d, nil
}

func (l *LineMode) request(ctx context.Context, def altinn.SystemDefinition) (*altinn.Request, bool, error) {
	s := l.env.Session
	codes := altinn.PackageCodes(def.AccessPackages)
	for {
		org, err := l.ask(l.env.T("uimisc.line.ask.customer"), "")
		if err != nil {
			return nil, false, err
		}
		org = orgno.Normalize(org)
		if err := orgno.Validate(org); err != nil {
			l.say("%s", steps.OrgNoText(l.env.Text, err))
			continue
		}
		if name, err := steps.OrgName(ctx, s, org); err == nil {
			l.say("%s", l.env.T("uimisc.line.that_is", "Name", name))
		}
		pk, err := l.ask(l.env.T("uimisc.line.ask.request_packages"), strings.Join(codes, ", "))
		if err != nil {
			return nil, false, err
		}
		refs := []altinn.PackageRef{}
		for _, c := range kit.SplitList(pk) {
			refs = append(refs, altinn.PackageRef{URN: accesspackages.URN(c)})
		}
		suggested, _ := altinn.SuggestAgent(refs, s.Catalog(ctx))
		agent, err := l.yes(l.env.T("uimisc.line.ask.agent"), suggested)
		if err != nil {
			return nil, false, err
		}
		ref, err := l.ask(l.env.T("uimisc.line.ask.external_ref"), "")
		if err != nil {
			return nil, false, err
		}
		r, err := steps.CreateRequest(ctx, s, steps.RequestParams{SystemID: def.ID, OrgNo: org, Packages: kit.SplitList(pk), Agent: agent, ExternalRef: ref})
		if err != nil {
			_ = l.fail(err)
			continue
		}
		if r.Note != "" {
			l.say("%s", r.Note)
		}
		for _, w := range r.Warnings {
			l.say("! %s", w)
		}
		l.say("%s", l.env.T("uimisc.line.request", "ID", r.Request.ID, "Status", r.Request.Status))
		f := l.env.Flow
		f.CustomerOrg, f.Agent, f.ExternalRef, f.RequestID, f.ConfirmURL = org, agent, ref, r.Request.ID, r.Request.ConfirmURL
		return r.Request, agent, nil
	}
}
