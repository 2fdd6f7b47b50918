package approval

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The customer's page for a change request (am.ui…/accessmanagement/ui/systemuser/changerequest?id=…):
// what the system user has, what it would gain and lose, and approve/reject.

func (s Host) MountChangeRequestApproval(mux *http.ServeMux, prefix string) {
	path := prefix + "accessmanagement/ui/systemuser/changerequest"
	mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) { s.changeApprovalPage(w, r, "") })
	mux.HandleFunc("POST "+path, s.changeApprovalDecision)
}

// changeApprovalTemplate is parsed on first use, not at start-up.
var changeApprovalTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("change").Parse(changeApprovalHTML))
})

const changeApprovalHTML = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Endring av systemtilgang – {{.Title}}</title>
<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em}
.box{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}
button{font-size:1em;padding:.5em 1.5em;margin-right:1em}.muted{color:#666}.note{background:#fff4d6;padding:.5em}
.add{color:#0a6b2f}.remove{color:#a3141f}</style></head>
<body>
<p class="muted">sbs-tui sandbox · Altinn approval page for a change request (emulated)</p>
{{if .Message}}<p class="note" id="message">{{.Message}}</p>{{end}}
<h1>{{.Vendor}} ber om endret systemtilgang</h1>
<div class="box">
<p><b>System:</b> {{.SystemName}} <span class="muted">({{.SystemID}})</span></p>
<p><b>Systembruker:</b> {{.Title}} <span class="muted">({{.SystemUserID}})</span></p>
<p><b>Kunde:</b> {{.Party}} <span class="muted">(org.nr. {{.PartyOrg}})</span></p>
{{if .Has}}<p><b>Har i dag:</b></p><ul id="has">{{range .Has}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Add}}<p><b>Får i tillegg:</b></p><ul id="add">{{range .Add}}<li class="add">{{.}}</li>{{end}}</ul>{{end}}
{{if .Remove}}<p><b>Mister:</b></p><ul id="remove">{{range .Remove}}<li class="remove">{{.}}</li>{{end}}</ul>{{end}}
<p><b>Status:</b> <span id="status">{{.Status}}</span></p>
</div>
{{if eq .Status "New"}}
<form method="post"><button name="decision" value="approve" id="approve">Godkjenn</button><button name="decision" value="reject" id="reject">Avvis</button></form>
{{else if .RedirectURL}}<p><a href="{{.RedirectURL}}">Tilbake til {{.Vendor}}</a></p>{{end}}
</body></html>`

type changeApprovalView struct {
	Title, SystemID, SystemName, SystemUserID, Vendor, Party, PartyOrg, Status, RedirectURL, Message string
	Has, Add, Remove                                                                                 []string
}

func (s Host) packageLabel(urn string) string {
	if pkg, ok := s.Env.Catalog.Lookup(urn); ok && strings.HasPrefix(urn, "urn:") {
		return pkg.Label() + " (" + pkg.Code + ")"
	}
	return urn
}

func rightLabel(r altinn.Right) string { return "Enkeltrettighet: " + world.ResourceValues(r) }

func (s Host) changeApprovalPage(w http.ResponseWriter, r *http.Request, message string) {
	id := strings.ToLower(r.URL.Query().Get("id"))
	var v *changeApprovalView
	_ = s.Env.Store.View(func(st *world.State) error {
		q := st.ChangeRequests[id]
		if q == nil || q.Deleted {
			return nil
		}
		view := changeApprovalView{SystemID: q.SystemID, SystemUserID: q.SystemUserID, Vendor: st.Orgs[q.VendorOrg].Name,
			Party: st.Orgs[q.PartyOrgNo].Name, PartyOrg: q.PartyOrgNo, Status: q.Status, RedirectURL: q.RedirectURL, Message: message}
		if sys := st.Systems[q.SystemID]; sys != nil {
			view.SystemName = sys.Name["nb"]
		}
		if su := st.SystemUsers[q.SystemUserID]; su != nil {
			view.Title = su.IntegrationTitle
			for _, p := range su.AccessPackages {
				view.Has = append(view.Has, s.packageLabel(p.URN))
			}
			for _, rt := range su.Rights {
				view.Has = append(view.Has, rightLabel(rt))
			}
		}
		for _, p := range q.RequiredAccessPackages {
			view.Add = append(view.Add, s.packageLabel(p.URN))
		}
		for _, rt := range q.RequiredRights {
			view.Add = append(view.Add, rightLabel(rt))
		}
		for _, p := range q.UnwantedAccessPackages {
			view.Remove = append(view.Remove, s.packageLabel(p.URN))
		}
		for _, rt := range q.UnwantedRights {
			view.Remove = append(view.Remove, rightLabel(rt))
		}
		v = &view
		return nil
	})
	if v == nil {
		approvalError(w, http.StatusNotFound, "Endringsforespørselen finnes ikke, eller den er slettet.")
		return
	}
	approvalHeaders(w) // not framable, like the request pages
	_ = changeApprovalTemplate().Execute(w, v)
}

func (s Host) changeApprovalDecision(w http.ResponseWriter, r *http.Request) {
	// The same guards as the request pages, and 404 for a change request the page does not show.
	d, ok := readDecision(w, r, decideApprove, decideReject)
	approve := d == decideApprove
	if !ok {
		return
	}
	id := strings.ToLower(r.URL.Query().Get("id"))
	shown := false
	_ = s.Env.Store.View(func(st *world.State) error {
		q := st.ChangeRequests[id]
		shown = q != nil && !q.Deleted
		return nil
	})
	if !shown {
		approvalError(w, http.StatusNotFound, "Endringsforespørselen finnes ikke, eller den er slettet.")
		return
	}
	_, err := authentication.ChangeRequestsHost{Base: authentication.Base{Env: s.Env}}.DecideChange(id, approve)
	var refused *refusal.Refusal
	if err != nil && !errors.As(err, &refused) {
		s.Env.InternalError(w, err)
		return
	}
	s.changeApprovalPage(w, r, decisionMessage(approve, refused, "Endringen er godkjent. Systembrukerens tilganger er oppdatert.", "Endringen er avvist."))
}
