package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
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

// ErrInputEnded means standard input closed before the wizard finished.
var ErrInputEnded = errors.New("the input ended before the wizard finished")

// NewLineMode builds the line-mode wizard on env.
func NewLineMode(env *kit.Env, in io.Reader, out io.Writer) *LineMode {
	return &LineMode{env: env, in: bufio.NewReader(in), out: out}
}

func (l *LineMode) say(format string, a ...any) { fmt.Fprintf(l.out, format+"\n", a...) }

func (l *LineMode) ask(question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(l.out, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(l.out, "%s: ", question)
	}
	line, err := l.in.ReadString('\n')
	if err != nil && line == "" {
		return "", ErrInputEnded
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return def, nil
	}
	return line, nil
}

func (l *LineMode) yes(question string, def bool) (bool, error) {
	d := "y/N"
	if def {
		d = "Y/n"
	}
	a, err := l.ask(question+" ("+d+")", "")
	if err != nil {
		return false, err
	}
	if a == "" {
		return def, nil
	}
	return strings.HasPrefix(strings.ToLower(a), "y"), nil
}

func (l *LineMode) checks(cs []steps.Check) {
	for _, c := range cs {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		l.say("  %s %s: %s%s", strings.ToUpper(string(c.Verdict)), termsafe.Line(c.Name), termsafe.Line(c.Detail), code)
		if c.Fix != "" && c.Verdict != steps.Pass {
			l.say("    next: %s", termsafe.Line(c.Fix))
		}
	}
}

// Run walks the steps in order; ctx cancels network calls.
func (l *LineMode) Run(ctx context.Context) error {
	s := l.env.Session
	l.say("sbs-tui, %s environment, profile %s, organisation %s.", strings.ToUpper(s.Env.Name), s.ProfileName, s.Profile.OrgNo)

	l.say("\nStep 1 of 8: Maskinporten access and clock.")
	env := steps.CheckEnvironment(ctx, s)
	l.checks(env.Checks)

	l.say("\nStep 2 of 8: scopes.")
	for _, v := range steps.CheckScopes(ctx, s, steps.RequiredScopes(s)) {
		l.checks([]steps.Check{v.Check})
	}

	l.say("\nStep 3 of 8: client and key.")
	key := steps.CheckKey(s)
	l.checks(key.Checks)

	l.say("\nStep 4 of 8: the system.")
	def, err := l.system(ctx)
	if err != nil {
		return err
	}
	r, err := steps.RegisterSystem(ctx, s, def, false)
	if err != nil {
		return l.fail(err)
	}
	l.say("System %s: %s.", r.SystemID, strings.ReplaceAll(r.Action, "-", " "))

	l.say("\nStep 5 of 8: the request to the customer.")
	req, agent, err := l.request(ctx, def)
	if err != nil {
		return err
	}

	l.say("\nStep 6 of 8: approval. Send the customer this address:\n%s", termsafe.Line(req.ConfirmURL))
	if req.Status == altinn.StatusNew && s.Env.IsSandbox() {
		if ok, err := l.yes("Approve now as the customer (sandbox)", true); err != nil {
			return err
		} else if ok {
			if err := steps.SandboxDecide(ctx, s, req.ConfirmURL, true); err != nil {
				return l.fail(err)
			}
		}
	}
	final, err := steps.WaitForDecision(ctx, s, req.ID, agent, steps.DefaultPollBackoff, func(ev steps.PollEvent) {
		if ev.Err == nil && ev.Request.Status == altinn.StatusNew {
			l.say("Still waiting for the customer; checking again in %s.", ev.Next)
		}
	})
	if err != nil {
		return l.fail(err)
	}
	l.say("Status: %s.", final.Status)
	if final.Status != altinn.StatusAccepted {
		l.say(steps.ExistingRequestNote(l.env.Session, final))
		return errors.New("the request was not approved")
	}

	l.say("\nStep 7 of 8: the system user's token.")
	scope := ""
	for _, p := range s.Profile.Scopes {
		if strings.HasPrefix(p, "skatteetaten:") {
			scope = p
			break
		}
	}
	if scope, err = l.ask("Scope", scope); err != nil {
		return err
	}
	tok, _, in, err := s.SystemUserToken(ctx, final.PartyOrgNo, final.ExternalRef, scope, false)
	if err != nil {
		return l.fail(err)
	}
	l.say("Token: %s, expires %s, signature %s.", in.Report.Status, tok.ExpiresAt.Local().Format("15:04:05"), map[bool]string{true: "verified", false: "not verified"}[in.Verified])
	if su := in.Report.SystemUser; su != nil {
		l.say("System user %s of system %s, owned by %s.", strings.Join(su.SystemUserIDs, ", "), su.SystemID, su.OwnerOrg)
	}

	l.say("\nStep 8 of 8: call the API.")
	u, err := l.ask("URL", steps.DefaultAPIURL(s, l.env.Opts.SampleAPIPath))
	if err != nil {
		return err
	}
	res, err := steps.CallAPI(ctx, s, steps.CallParams{URL: u, SystemUserOrg: final.PartyOrgNo, ExternalRef: final.ExternalRef, Scopes: []string{scope}})
	if err != nil {
		return l.fail(err)
	}
	l.say("HTTP %d %s (token reused: %v).\n%s", res.Status, res.StatusText, res.TokenReused, res.Body)
	l.say("\nAll eight steps are done.")
	return nil
}

func (l *LineMode) fail(err error) error {
	if kit.HasExplanation(err) {
		l.say("%s", kit.Explained(err))
	} else {
		l.say("Failed: %s", kit.Explained(err))
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
		path, err := l.ask("Path to system.json (leave empty to answer questions instead)", "")
		if err != nil {
			return altinn.SystemDefinition{}, err
		}
		var f *steps.SystemFile
		if path != "" {
			if f, err = steps.ReadSystemFile(path, cat, facts); err != nil {
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
			l.say("  PROBLEM %s", kit.ViolationText(v))
		}
		for _, v := range f.Warnings {
			l.say("  WARNING %s", kit.ViolationText(v))
		}
		if len(f.Problems) == 0 {
			data, _ := json.Marshal(f.Definition)
			l.env.Flow.SystemID, l.env.Flow.SystemJSON = f.Definition.ID, string(data)
			return f.Definition, nil
		}
		l.say("Fix the problems and try again (enter keeps an answer).")
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
	var codes, rightIDs []string
	for _, pk := range def.AccessPackages {
		codes = append(codes, strings.TrimPrefix(pk.URN, accesspackages.URNPrefix))
	}
	for _, r := range def.Rights {
		for _, a := range r.Resource {
			rightIDs = append(rightIDs, a.Value)
		}
	}
	id := ask("System id", def.ID)
	name := ask("Name shown to customers", def.Name["nb"])
	desc := ask("Description", def.Description["nb"])
	pkgs := ask("Access packages (codes, comma-separated)", strings.Join(codes, ", "))
	rights := ask("Rights (resource ids, comma-separated)", strings.Join(rightIDs, ", "))
	clients := ask("Maskinporten client ids", strings.Join(def.ClientID, ", "))
	redirects := ask("Allowed redirect URLs (https, comma-separated)", strings.Join(def.AllowedRedirectURLs, ", "))
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
		l.say("%s can only be used by agent system users, so the system is registered with isVisible false.", strings.Join(forcing, ", "))
	}
	// The same default as the wizard's form: only through your requests.
	visible, yerr := l.yes("Visible to customers in Altinn (no: only through your requests)", prev != nil && prev.Visible() && !agent)
	if yerr != nil {
		return d, yerr
	}
	d.IsVisible = &visible
	return d, nil
}

func (l *LineMode) request(ctx context.Context, def altinn.SystemDefinition) (*altinn.Request, bool, error) {
	s := l.env.Session
	var codes []string
	for _, p := range def.AccessPackages {
		codes = append(codes, strings.TrimPrefix(p.URN, accesspackages.URNPrefix))
	}
	for {
		org, err := l.ask("Customer's organisation number (for agent requests: the facilitator)", "")
		if err != nil {
			return nil, false, err
		}
		org = orgno.Normalize(org)
		if err := orgno.Validate(org); err != nil {
			l.say("%s", err)
			continue
		}
		if name, err := steps.OrgName(ctx, s, org); err == nil {
			l.say("That is %s.", name)
		}
		pk, err := l.ask("Access packages to ask for", strings.Join(codes, ", "))
		if err != nil {
			return nil, false, err
		}
		refs := []altinn.PackageRef{}
		for _, c := range kit.SplitList(pk) {
			refs = append(refs, altinn.PackageRef{URN: accesspackages.URN(c)})
		}
		suggested, _ := altinn.SuggestAgent(refs, s.Catalog(ctx))
		agent, err := l.yes("Agent (client) system user", suggested)
		if err != nil {
			return nil, false, err
		}
		ref, err := l.ask("External reference (optional)", "")
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
		l.say("Request %s, status %s.", r.Request.ID, r.Request.Status)
		f := l.env.Flow
		f.CustomerOrg, f.Agent, f.ExternalRef, f.RequestID, f.ConfirmURL = org, agent, ref, r.Request.ID, r.Request.ConfirmURL
		return r.Request, agent, nil
	}
}
