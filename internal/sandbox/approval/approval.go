package approval

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The customer's side: the page at the confirmUrl where the customer approves or rejects.

func (s Host) MountApproval(mux *http.ServeMux, prefix string) {
	for _, page := range []string{"request", "agentrequest"} {
		path := prefix + "accessmanagement/ui/systemuser/" + page
		agent := page == "agentrequest"
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) { s.approvalPage(w, r, agent, "") })
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) { s.approvalDecision(w, r, agent) })
	}
}

// approvalTemplate is parsed on first use, not at start-up: most runs never show the page.
var approvalTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("approval").Parse(approvalHTML))
})

const approvalHTML = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Systemtilgang – {{.Title}}</title>
<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em}
.box{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}
button{font-size:1em;padding:.5em 1.5em;margin-right:1em}.muted{color:#666}.note{background:#fff4d6;padding:.5em}</style></head>
<body>
<p class="muted">sbs-tui sandbox · Altinn approval page (emulated)</p>
{{if .Message}}<p class="note" id="message">{{.Message}}</p>{{end}}
<h1>{{.Vendor}} ber om {{if .Agent}}klienttilgang{{else}}systemtilgang{{end}}</h1>
<div class="box">
<p><b>System:</b> {{.SystemName}} <span class="muted">({{.SystemID}})</span></p>
<p>{{.SystemDescription}}</p>
<p><b>Leverandør:</b> {{.Vendor}} <span class="muted">(org.nr. {{.VendorOrg}})</span></p>
<p><b>{{if .Agent}}Fasilitator{{else}}Kunde{{end}}:</b> {{.Party}} <span class="muted">(org.nr. {{.PartyOrg}})</span></p>
{{if .Packages}}<p><b>Tilgangspakker:</b></p><ul>{{range .Packages}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Rights}}<p><b>Enkeltrettigheter:</b></p><ul>{{range .Rights}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p><b>Status:</b> <span id="status">{{.Status}}</span></p>
</div>
{{if eq .Status "New"}}
{{if .Escalated}}<p class="note" id="escalated">Forespørselen er videresendt til tilgangsstyrer. Den venter på godkjenning av noen med rollen Tilgangsstyrer, Hovedadministrator eller Daglig leder.</p>{{end}}
<form method="post"><button name="decision" value="approve" id="approve">Godkjenn</button><button name="decision" value="reject" id="reject">Avvis</button>
{{if not .Escalated}}<p class="muted">Mangler du fullmakt til å godkjenne? Du kan sende forespørselen videre til tilgangsstyrer i din virksomhet.</p>
<button name="decision" value="escalate" id="escalate">{{.EscalateButton}}</button>{{end}}</form>
{{else if .RedirectURL}}<p><a href="{{.RedirectURL}}">Tilbake til {{.Vendor}}</a></p>{{end}}
</body></html>`

type approvalView struct {
	Title, SystemID, SystemName, SystemDescription, Vendor, VendorOrg, Party, PartyOrg, Status, RedirectURL, Message string
	Agent, Escalated                                                                                                 bool
	// EscalateButton is Altinn's label of the forwarding button.
	EscalateButton   string
	Packages, Rights []string
}

func (s Host) approvalPage(w http.ResponseWriter, r *http.Request, agent bool, message string) {
	id := r.URL.Query().Get("id")
	var v *approvalView
	_ = s.Env.Store.View(func(st *world.State) error {
		q := st.Requests[id]
		if q == nil || q.Deleted || q.Agent != agent {
			return nil
		}
		sys := st.Systems[q.SystemID]
		view := approvalView{Title: q.IntegrationTitle, SystemID: q.SystemID, Vendor: st.Orgs[q.VendorOrg].Name, VendorOrg: q.VendorOrg,
			Party: st.Orgs[q.PartyOrgNo].Name, PartyOrg: q.PartyOrgNo, Status: q.Status, RedirectURL: q.RedirectURL, Agent: agent, Escalated: q.Escalated, Message: message,
			EscalateButton: altinn.EscalateButtonNB}
		if sys != nil {
			view.SystemName, view.SystemDescription = sys.Name["nb"], sys.Description["nb"]
		}
		for _, p := range q.AccessPackages {
			label := p.URN
			if pkg, ok := s.Env.Catalog.Lookup(p.URN); ok {
				label = pkg.Label() + " (" + pkg.Code + ")"
			}
			view.Packages = append(view.Packages, label)
		}
		for _, rt := range q.Rights {
			var vals []string
			for _, a := range rt.Resource {
				vals = append(vals, a.Value)
			}
			view.Rights = append(view.Rights, strings.Join(vals, "/"))
		}
		v = &view
		return nil
	})
	if v == nil {
		approvalError(w, http.StatusNotFound, "Forespørselen finnes ikke, eller den er slettet.")
		return
	}
	approvalHeaders(w)
	_ = approvalTemplate().Execute(w, v)
}

// approvalHeaders: the page may not be framed (clickjacking) and loads nothing.
func approvalHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
}

func approvalError(w http.ResponseWriter, status int, text string) {
	approvalHeaders(w)
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>%s</title><p>%s</p>", http.StatusText(status), template.HTMLEscapeString(text))
}

// approvalCSRF refuses cross-origin browser POSTs (Sec-Fetch-Site, else Origin against Host).
var approvalCSRF = http.NewCrossOriginProtection()

// decision is what the customer chose on the page.
type decision string

const (
	decideApprove  decision = "approve"
	decideReject   decision = "reject"
	decideEscalate decision = "escalate" // forward to the Tilgangsstyrer («Ja, send videre»)
)

// readDecision applies the decision form's guards, answering the error itself when one fails:
// same-origin POSTs only, a small body, and exactly one known decision (anything else must not
// reject irreversibly). allowed are the decisions the page offers.
func readDecision(w http.ResponseWriter, r *http.Request, allowed ...decision) (d decision, ok bool) {
	if err := approvalCSRF.Check(r); err != nil {
		approvalError(w, http.StatusForbidden, "Avgjørelsen må sendes fra godkjenningssiden selv (cross-origin request refused).")
		return "", false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		approvalError(w, http.StatusBadRequest, "Skjemaet kunne ikke leses.")
		return "", false
	}
	decisions := r.PostForm["decision"]
	if len(decisions) == 1 && slices.Contains(allowed, decision(decisions[0])) {
		return decision(decisions[0]), true
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = strconv.Quote(string(a))
	}
	approvalError(w, http.StatusBadRequest, "decision must be exactly one of "+strings.Join(names, ", ")+".")
	return "", false
}

// decisionMessage is the page's line after a decision: done, or the Altinn code that refused it.
func decisionMessage(approve bool, refused *refusal.Refusal, approved, rejected string) string {
	if refused != nil {
		return refused.Error()
	}
	if approve {
		return approved
	}
	return rejected
}

func (s Host) approvalDecision(w http.ResponseWriter, r *http.Request, agent bool) {
	d, ok := readDecision(w, r, decideApprove, decideReject, decideEscalate)
	if !ok {
		return
	}
	id := r.URL.Query().Get("id")
	// A request this page does not show (unknown, deleted, or of the other kind) answers 404
	// and stays as it is.
	shown := false
	_ = s.Env.Store.View(func(st *world.State) error {
		q := st.Requests[id]
		shown = q != nil && !q.Deleted && q.Agent == agent
		return nil
	})
	if !shown {
		approvalError(w, http.StatusNotFound, "Forespørselen finnes ikke, eller den er slettet.")
		return
	}
	requests := authentication.RequestsHost{Base: authentication.Base{Env: s.Env}}
	if d == decideEscalate {
		s.escalate(w, r, requests, id, agent)
		return
	}
	approve := d == decideApprove
	_, err := requests.Decide(id, approve)
	var refused *refusal.Refusal
	if err != nil && !errors.As(err, &refused) {
		s.Env.InternalError(w, err)
		return
	}
	s.approvalPage(w, r, agent, decisionMessage(approve, refused, "Forespørselen er godkjent. Systembrukeren er opprettet.", "Forespørselen er avvist."))
}

// escalate forwards the request and shows the page again with Altinn's answer.
func (s Host) escalate(w http.ResponseWriter, r *http.Request, requests authentication.RequestsHost, id string, agent bool) {
	already, err := requests.Escalate(id)
	var refused *refusal.Refusal
	switch {
	case errors.As(err, &refused):
		s.approvalPage(w, r, agent, refused.Error())
	case err != nil:
		s.Env.InternalError(w, err)
	case already:
		s.approvalPage(w, r, agent, altinn.AlreadyEscalatedNB)
	default:
		s.approvalPage(w, r, agent, altinn.EscalatedNB)
	}
}

// Host is the customer's approval pages.
type Host struct{ Env *env.Env }
