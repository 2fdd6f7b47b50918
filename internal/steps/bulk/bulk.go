// Package bulk is step 5 for many customers at once (`request bulk`). A file of rows is
// read and every row checked locally (all problems reported at once, nothing sent while any
// remain); then the requests are created with bounded concurrency, riding out throttling,
// idempotently: Altinn returns the existing request for a (system, org, externalRef) triple
// instead of a second one, so a re-run after an interruption creates nothing twice.
package bulk

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Bulk file columns. Only ColOrg is required.
const (
	ColOrg         = "org"
	ColExternalRef = "external_ref"
	ColType        = "type"
	ColPackages    = "packages"
	ColRights      = "rights"
	ColRedirectURL = "redirect_url"
	ColTitle       = "integration_title"
)

// Columns are the columns a customers file may have, in any order.
var Columns = []string{ColOrg, ColExternalRef, ColType, ColPackages, ColRights, ColRedirectURL, ColTitle}

// Limits of a customers file.
const (
	MaxFileSize = 32 << 20
	MaxRows     = 100_000
)

// Row is one customer as the file gives it. Row is what a spreadsheet shows: for a CSV
// the line number (the header is row 1), for JSON the element's position from 1.
type Row struct {
	Row         int
	Org         string
	ExternalRef string
	Type        string
	Packages    []string
	Rights      []string
	RedirectURL string
	Title       string
}

// Problem is one broken rule in one cell (Row 0: the file as a whole).
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
	// Code is the server's error code the problem would have caused, if any.
	Code string `json:"code,omitempty"`
	// say is Message in a printer's language (Message is its English, for --json).
	say func(*i18n.Printer) string
}

// problem is a broken rule whose message is a catalogue text.
func problem(row int, col, code string, say func(*i18n.Printer) string) Problem {
	return Problem{Row: row, Column: col, Code: code, Message: say(i18n.English()), say: say}
}

// msg is catalogue message id with its data, said in whichever language asks.
func msg(id string, pairs ...any) func(*i18n.Printer) string {
	return func(p *i18n.Printer) string { return p.T(id, pairs...) }
}

func (p Problem) String() string { return p.In(i18n.English()) }

// In is the problem in t's language: where it is, what is wrong, and the server's code.
func (p Problem) In(t *i18n.Printer) string {
	where := t.T("bulk.problem.file")
	if p.Row > 0 {
		where = t.T("bulk.problem.row", "Row", p.Row)
	}
	if p.Column != "" {
		where = t.T("bulk.problem.column", "Where", where, "Column", p.Column)
	}
	text := p.Message
	if p.say != nil {
		text = p.say(t)
	}
	out := where + ": " + text //i18n:ignore a separator
	if p.Code != "" {
		out += t.T("bulk.problem.code", "Code", p.Code)
	}
	return out
}

// ProblemsError is a customers file that was not sent because rows break rules.
type ProblemsError struct {
	File     string
	Rows     int
	Problems []Problem
}

func (e *ProblemsError) Error() string { return e.In(i18n.English()) }

// In is the error in t's language (i18n.Printer.Error finds it).
func (e *ProblemsError) In(t *i18n.Printer) string {
	bad := map[int]bool{}
	for _, p := range e.Problems {
		bad[p.Row] = true
	}
	var b strings.Builder
	if e.Rows == 0 {
		b.WriteString(t.N("bulk.problems.file", len(e.Problems), "File", e.File))
	} else {
		b.WriteString(t.N("bulk.problems.rows", len(e.Problems), "File", e.File, "Bad", len(bad), "Rows", e.Rows))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.In(t))
	}
	b.WriteString("\n" + t.T("bulk.problems.fix"))
	return b.String()
}

// ReadFile reads a customers file: JSON when it ends in .json (or starts with '['),
// else CSV with a header row. Problems are rows or cells that cannot be read; err is for a
// file that cannot be read at all.
func ReadFile(path string) ([]Row, []Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, i18n.Wrap(err, "bulk.read")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, i18n.Wrap(err, "bulk.read")
	}
	if len(data) > MaxFileSize {
		return nil, nil, i18n.Errorf("bulk.too_large", "Path", path, "MiB", MaxFileSize>>20)
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	if strings.EqualFold(filepath.Ext(path), ".json") || bytes.HasPrefix(trimmed, []byte("[")) {
		return ParseJSON(trimmed)
	}
	return ParseCSV(bytes.NewReader(data))
}

// splitList splits a packages or rights cell on ';' (',' and whitespace are accepted too,
// since spreadsheets and people use them).
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(f) == 0 {
		return nil
	}
	return f
}

// ParseCSV reads a CSV customers file with a header row naming the columns.
func ParseCSV(r io.Reader) ([]Row, []Problem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []Problem{problem(0, "", "", msg("bulk.csv.empty"))}, nil
	}
	if err != nil {
		return nil, []Problem{problem(1, "", "", msg("bulk.csv.header_invalid", "Err", err.Error()))}, nil
	}
	var problems []Problem
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		h = strings.ReplaceAll(h, " ", "_")
		switch {
		case h == "":
			problems = append(problems, problem(1, fmt.Sprintf("#%d", i+1), "", msg("bulk.csv.header_empty")))
		case !slices.Contains(Columns, h) && h != "name":
			// "name" is what `sandbox orgs add --csv` writes beside org; it is for people.
			problems = append(problems, problem(1, h, "", msg("bulk.csv.unknown_column", "Columns", strings.Join(Columns, ", "))))
		case col[h] != 0:
			problems = append(problems, problem(1, h, "", msg("bulk.csv.twice")))
		default:
			col[h] = i + 1
		}
	}
	if col[ColOrg] == 0 {
		problems = append(problems, problem(1, ColOrg, "", msg("bulk.csv.no_org")))
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	cell := func(rec []string, name string) string {
		i := col[name]
		if i == 0 || i > len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i-1])
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			problems = append(problems, problem(line, "", "", msg("bulk.csv.row_invalid", "Err", err.Error())))
			if len(problems) > 1000 {
				break
			}
			continue
		}
		if len(rec) > len(header) {
			problems = append(problems, problem(line, "", "", msg("bulk.csv.cells", "Cells", len(rec), "Columns", len(header))))
			continue
		}
		if len(rows) == MaxRows {
			return nil, []Problem{problem(0, "", "", msg("bulk.too_many", "Max", MaxRows))}, nil
		}
		rows = append(rows, Row{Row: line, Org: cell(rec, ColOrg), ExternalRef: cell(rec, ColExternalRef), Type: cell(rec, ColType),
			Packages: splitList(cell(rec, ColPackages)), Rights: splitList(cell(rec, ColRights)),
			RedirectURL: cell(rec, ColRedirectURL), Title: cell(rec, ColTitle)})
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, problem(0, "", "", msg("bulk.csv.no_rows")))
	}
	return rows, problems, nil
}

// ParseJSON reads a JSON customers file: an array of objects with the CSV's column names
// as keys; packages and rights may be arrays or ';'-separated strings.
func ParseJSON(data []byte) ([]Row, []Problem, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, []Problem{problem(0, "", "", msg("bulk.json.not_array", "Err", err.Error()))}, nil
	}
	if len(items) > MaxRows {
		return nil, []Problem{problem(0, "", "", msg("bulk.too_many", "Max", MaxRows))}, nil
	}
	var rows []Row
	var problems []Problem
	for i, it := range items {
		row := Row{Row: i + 1}
		for _, k := range slices.Sorted(maps.Keys(it)) {
			raw := it[k]
			str := func(dst *string) {
				if err := json.Unmarshal(raw, dst); err != nil {
					problems = append(problems, problem(row.Row, k, "", msg("bulk.json.string")))
				}
				*dst = strings.TrimSpace(*dst)
			}
			list := func(dst *[]string) {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					*dst = splitList(s)
					return
				}
				if err := json.Unmarshal(raw, dst); err != nil {
					problems = append(problems, problem(row.Row, k, "", msg("bulk.json.list")))
				}
			}
			switch k {
			case ColOrg:
				var n json.Number
				if json.Unmarshal(raw, &n) == nil { // 313367002 without quotes
					row.Org = n.String()
					continue
				}
				str(&row.Org)
			case ColExternalRef:
				str(&row.ExternalRef)
			case ColType:
				str(&row.Type)
			case ColPackages:
				list(&row.Packages)
			case ColRights:
				list(&row.Rights)
			case ColRedirectURL:
				str(&row.RedirectURL)
			case ColTitle:
				str(&row.Title)
			case "name":
			default:
				problems = append(problems, problem(row.Row, k, "", msg("bulk.json.unknown_field", "Fields", strings.Join(Columns, ", "))))
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, problem(0, "", "", msg("bulk.json.empty")))
	}
	return rows, problems, nil
}

// Item is a checked row, ready to send.
type Item struct {
	Row         int
	Agent       bool
	ExternalRef string // what Altinn stores: the given one, else the organisation number
	Body        altinn.CreateRequest
}

// Plan is a customers file checked against a system.
type Plan struct {
	System *altinn.RegisteredSystem
	Items  []Item
}

// columnOf maps a request field to the customers file's column.
func columnOf(field string) string {
	switch field {
	case "partyOrgNo":
		return ColOrg
	case "accessPackages", "isVisible":
		return ColPackages
	case "rights":
		return ColRights
	case "redirectUrl":
		return ColRedirectURL
	case "externalRef":
		return ColExternalRef
	case "integrationTitle":
		return ColTitle
	}
	return field
}

// NewPlan checks every row against the system and the catalog and returns the requests to
// send, or every problem found (by row and column) when there is any.
func NewPlan(sys *altinn.RegisteredSystem, cat *accesspackages.Catalog, rows []Row) (*Plan, []Problem) {
	plan := &Plan{System: sys}
	var problems []Problem
	terms := altinn.SystemTerms{Rights: sys.Rights, AccessPackages: sys.AccessPackages, AllowedRedirectURLs: sys.AllowedRedirectURLs}
	seen := map[string]int{} // org + ref -> first row
	for _, r := range rows {
		var ps []Problem
		add := func(col, code string, say func(*i18n.Printer) string) {
			ps = append(ps, problem(r.Row, col, code, say))
		}
		org := orgno.Normalize(r.Org)
		if org == "" {
			add(ColOrg, "", msg("bulk.row.org_empty"))
		} else if err := orgno.Validate(org); err != nil {
			add(ColOrg, "", func(p *i18n.Printer) string { return steps.OrgNoText(p, err) })
		}
		agent := false
		switch strings.ToLower(r.Type) {
		case "", steps.TypeStandard:
		case steps.TypeAgent, "client":
			agent = true
		default:
			add(ColType, "", msg("bulk.row.type", "Type", fmt.Sprintf("%q", termsafe.Line(r.Type))))
		}
		ref := r.ExternalRef
		if len(ref) > 255 || strings.ContainsAny(ref, "/?#") {
			add(ColExternalRef, "", msg("bulk.row.external_ref"))
		}
		if ref == "" {
			ref = org
		}
		if len(r.Title) > 255 {
			add(ColTitle, "AUTH-00012", msg("bulk.row.too_long"))
		}
		if len(r.RedirectURL) > 255 {
			add(ColRedirectURL, "AUTH-00012", msg("bulk.row.too_long"))
		}
		body := altinn.CreateRequest{SystemID: sys.ID, PartyOrgNo: org, ExternalRef: r.ExternalRef, IntegrationTitle: r.Title, RedirectURL: r.RedirectURL}
		known := true
		for _, code := range r.Packages {
			urn := accesspackages.URN(code)
			if _, ok := cat.Lookup(urn); !ok {
				quoted := fmt.Sprintf("%q", termsafe.Line(code))
				if sug := cat.Suggest(code, 2); len(sug) > 0 {
					add(ColPackages, "", func(p *i18n.Printer) string {
						return p.T("bulk.row.package_suggest", "Package", quoted, "Suggestions", strings.Join(sug, p.T("bulk.row.or")))
					})
				} else {
					add(ColPackages, "", msg("bulk.row.package_unknown", "Package", quoted))
				}
				known = false
			}
			body.AccessPackages = append(body.AccessPackages, altinn.PackageRef{URN: urn})
		}
		for _, rt := range r.Rights {
			body.Rights = append(body.Rights, altinn.NewResourceRight(rt))
		}
		if agent && len(r.Rights) > 0 {
			add(ColRights, "", msg("bulk.row.agent_rights"))
		}
		defaulted := len(r.Packages) == 0 && len(r.Rights) == 0
		if defaulted {
			body.AccessPackages, body.Rights = systemDefaults(sys, cat, agent)
			if len(body.AccessPackages) == 0 && len(body.Rights) == 0 {
				id := "bulk.row.nothing_standard"
				if agent {
					id = "bulk.row.nothing_agent"
				}
				add(ColPackages, "", msg(id, "ID", sys.ID))
			}
		}
		// The system's rules, on the packages that exist (unknown ones are reported above), so
		// that one bad cell does not hide another.
		rights := body.Rights
		if agent {
			rights = nil
		}
		if r.RedirectURL != "" {
			if v := altinn.ValidateRequestTerms(rights, body.AccessPackages, r.RedirectURL, agent, terms, cat); v != nil && v.Field == "redirectUrl" {
				v := *v
				add(ColRedirectURL, string(v.Code), func(p *i18n.Printer) string { return steps.ViolationMessage(p, v) })
			}
		}
		var pkgs []altinn.PackageRef
		for _, p := range body.AccessPackages {
			if _, ok := cat.Lookup(p.URN); ok {
				pkgs = append(pkgs, p)
			}
		}
		if !agent && rights == nil && pkgs == nil {
			pkgs = []altinn.PackageRef{}
		}
		if known || len(pkgs) > 0 || len(rights) > 0 {
			if v := altinn.ValidateRequestTerms(rights, pkgs, "", agent, terms, cat); v != nil && !(defaulted && len(body.AccessPackages) == 0 && len(body.Rights) == 0) {
				v := *v
				say := func(p *i18n.Printer) string { return steps.ViolationMessage(p, v) }
				if v.Code == altinn.CodePackageNotDelegable { // in a file, the fix is the type column, not a flag
					say = msg("bulk.row.not_delegable", "Detail", strings.TrimPrefix(v.Message, "client-only packages need an agent request (--agent): "))
				}
				add(columnOf(v.Field), string(v.Code), say)
			}
		}
		if org != "" {
			k := org + "\x00" + ref
			if first, ok := seen[k]; ok {
				add(ColOrg, "", msg("bulk.row.duplicate", "Row", first))
			} else {
				seen[k] = r.Row
			}
		}
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		if agent {
			body.Rights = nil
		}
		plan.Items = append(plan.Items, Item{Row: r.Row, Agent: agent, ExternalRef: ref, Body: body})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return plan, nil
}

// systemDefaults are the packages and rights a row without any asks for: everything on the
// system that the request type may have.
func systemDefaults(sys *altinn.RegisteredSystem, cat *accesspackages.Catalog, agent bool) ([]altinn.PackageRef, []altinn.Right) {
	var pkgs []altinn.PackageRef
	for _, p := range sys.AccessPackages {
		pkg, ok := cat.Lookup(p.URN)
		if ok && ((agent && pkg.IsDelegable) || (!agent && pkg.IsAssignable)) {
			pkgs = append(pkgs, altinn.PackageRef{URN: accesspackages.URN(p.URN)})
		}
	}
	var rights []altinn.Right
	if !agent {
		rights = append(rights, sys.Rights...)
	}
	return pkgs, rights
}

// Bulk outcomes.
const (
	OutcomeCreated  = "created"
	OutcomeExisting = "existing"
	OutcomeFailed   = "failed"
)

// Result is what happened to one row.
type Result struct {
	Row         int    `json:"row"`
	Org         string `json:"org"`
	ExternalRef string `json:"external_ref"`
	Type        string `json:"type"`
	Outcome     string `json:"outcome"`
	RequestID   string `json:"request_id,omitempty"`
	Status      string `json:"status,omitempty"`
	ConfirmURL  string `json:"confirm_url,omitempty"`
	Code        string `json:"code,omitempty"`
	Error       string `json:"error,omitempty"`
	Attempts    int    `json:"attempts"`
}

// Summary counts a run.
type Summary struct {
	Total     int           `json:"total"`
	Created   int           `json:"created"`
	Existing  int           `json:"existing"`
	Failed    int           `json:"failed"`
	Throttled int           `json:"throttled"` // answers that asked us to slow down (429)
	Elapsed   time.Duration `json:"elapsed_ns"`
}

// Options tune a run.
type Options struct {
	// Concurrency bounds requests in flight (DefaultConcurrency if 0).
	Concurrency int
	// Attempts per row for throttling and transient failures (DefaultAttempts if 0),
	// on top of the client's own retries.
	Attempts int
	// OnResult is called once per finished row, from one goroutine at a time.
	OnResult func(Result)
}

// Defaults of a bulk run: Altinn throttles per vendor, so a handful in flight is plenty.
const (
	DefaultConcurrency = 8
	MaxConcurrency     = 64
	DefaultAttempts    = 8
)

// throttle is a shared pause: when the server answers 429 with Retry-After, no worker sends
// anything until the time it asked for has passed.
type throttle struct {
	mu    sync.Mutex
	until time.Time
}

func (t *throttle) hold(d time.Duration) {
	t.mu.Lock()
	if u := time.Now().Add(d); u.After(t.until) {
		t.until = u
	}
	t.mu.Unlock()
}

func (t *throttle) wait(ctx context.Context) error {
	t.mu.Lock()
	d := time.Until(t.until)
	t.mu.Unlock()
	if d <= 0 {
		return ctx.Err()
	}
	return httpx.Sleep(ctx, d)
}

// Run sends the plan's requests. Every row ends as created, existing (Altinn already had
// a request or a system user for the triple) or failed; a cancelled ctx stops the run, and
// rows not finished are not reported. The results come back in row order.
func Run(ctx context.Context, s *steps.Session, plan *Plan, o Options) ([]Result, Summary, error) {
	start := time.Now()
	n := o.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	n = min(n, MaxConcurrency, max(len(plan.Items), 1))
	attempts := o.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	var (
		mu      sync.Mutex
		results []Result
		sum     = Summary{Total: len(plan.Items)}
		gate    throttle
		wg      sync.WaitGroup
	)
	work := make(chan Item)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				r, throttled := sendOne(ctx, s, it, attempts, &gate)
				mu.Lock()
				sum.Throttled += throttled
				if ctx.Err() == nil || r.Outcome != OutcomeFailed {
					results = append(results, r)
					switch r.Outcome {
					case OutcomeCreated:
						sum.Created++
					case OutcomeExisting:
						sum.Existing++
					default:
						sum.Failed++
					}
					if o.OnResult != nil {
						o.OnResult(r)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, it := range plan.Items {
		select {
		case work <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	sort.Slice(results, func(i, j int) bool { return results[i].Row < results[j].Row })
	sum.Elapsed = time.Since(start)
	return results, sum, ctx.Err()
}

// sendOne creates one request, waiting out throttling; it returns the row's result and how
// many 429 answers it met.
func sendOne(ctx context.Context, s *steps.Session, it Item, attempts int, gate *throttle) (Result, int) {
	r := Result{Row: it.Row, Org: it.Body.PartyOrgNo, ExternalRef: it.ExternalRef, Type: steps.TypeStandard}
	if it.Agent {
		r.Type = steps.TypeAgent
	}
	c := s.Altinn()
	throttled := 0
	var err error
	for attempt := 0; attempt < attempts; attempt++ {
		if err = gate.wait(ctx); err != nil {
			break
		}
		r.Attempts++
		var req *altinn.Request
		var created bool
		req, created, err = c.CreateRequest(ctx, it.Body, it.Agent)
		if err == nil {
			r.fill(req)
			r.Outcome = OutcomeExisting
			if created {
				r.Outcome = OutcomeCreated
			}
			return r, throttled
		}
		if e, ok := altinnclient.AsError(err); ok && e.Code == string(altinn.CodeSystemUserExists) {
			// The system user exists, and the request it came from was deleted (CreateRequest
			// returns an approved request that is still there): the system user is all there is.
			r.Outcome, r.Status = OutcomeExisting, altinn.StatusAccepted
			return r, throttled
		}
		if ctx.Err() != nil || !altinnclient.IsTransient(err) {
			break
		}
		wait := altinnclient.RetryAfterOf(err)
		if e, ok := altinnclient.AsError(err); ok && e.Status == 429 {
			throttled++
			if wait == 0 {
				wait = time.Second
			}
			gate.hold(wait)
		}
		// Back off (with jitter) beyond what the server asked, so workers do not return in step.
		backoff := min(250*time.Millisecond<<attempt, 10*time.Second)
		if err := httpx.Sleep(ctx, max(wait, backoff/2+time.Duration(rand.Int64N(int64(backoff/2)+1)))); err != nil {
			break
		}
	}
	r.Outcome = OutcomeFailed
	r.Error = err.Error()
	if e, ok := altinnclient.AsError(err); ok {
		r.Code = e.Code
	}
	return r, throttled
}

func (r *Result) fill(q *altinn.Request) {
	r.RequestID, r.Status, r.ConfirmURL = q.ID, q.Status, q.ConfirmURL
	if q.TimedOut {
		r.Status = altinn.StatusTimedout
	}
}

// ResultColumns are the output CSV's columns.
var ResultColumns = []string{"row", ColOrg, ColExternalRef, ColType, "outcome", "request_id", "status", "confirm_url", "error"}

// WriteResults writes the results as CSV, one line per row, ready for a mail merge.
func WriteResults(w io.Writer, results []Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ResultColumns); err != nil {
		return err
	}
	for _, r := range results {
		rec := []string{fmt.Sprint(r.Row), r.Org, r.ExternalRef, r.Type, r.Outcome, r.RequestID, r.Status, r.ConfirmURL, termsafe.Line(r.Error)}
		for i, f := range rec {
			rec[i] = csvSafe(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a server-supplied cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
