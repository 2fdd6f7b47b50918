package requestcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/steps/bulk"
)

func requestBulkCommand(a *cli.App) *cobra.Command {
	var file, systemID, out string
	var asJSON, check bool
	var concurrency int
	cmd := &cobra.Command{
		Use:   "bulk --file customers.csv|customers.json [--system ID]", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.bulk.short"),
		Long:  a.T("clirequest.bulk.long", "Columns", strings.Join(bulk.Columns, ",")),
		Example: strings.Join([]string{
			"  sbs-tui request bulk --file customers.csv",                                                     //i18n:ignore a command line
			"  sbs-tui request bulk --file customers.csv --system 974761076_skatt_demo_system --out sent.csv", //i18n:ignore a command line
			"  sbs-tui request bulk --file customers.json --json | jq -r 'select(.outcome==\"failed\")'",      //i18n:ignore a command line
		}, "\n"),
		Args: a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return cli.Usagef("%s", a.T("clirequest.bulk.need_file"))
			}
			if concurrency < 1 || concurrency > bulk.MaxConcurrency {
				return cli.Usagef("%s", a.T("clirequest.bulk.bad_concurrency", "Max", bulk.MaxConcurrency))
			}
			if out == "" {
				out = strings.TrimSuffix(file, filepath.Ext(file)) + "-requests.csv"
			}
			rows, problems, err := bulk.ReadFile(file)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if len(problems) > 0 {
				return bulkProblems(a, asJSON, file, len(rows), problems)
			}
			ctx := cmd.Context()
			s, err := a.Session(ctx)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			sys, err := steps.ResolveSystem(ctx, s, systemID)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			plan, problems := bulk.NewPlan(sys, s.Catalog(ctx), rows)
			if len(problems) > 0 {
				return bulkProblems(a, asJSON, file, len(rows), problems)
			}
			if check {
				if asJSON {
					return a.PrintJSON(map[string]any{"ok": true, "rows": len(plan.Items), "system": sys.ID, "sent": 0})
				}
				fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.checked", "File", file, "Rows", len(plan.Items), "System", sys.ID))
				return nil
			}
			return runBulk(a, ctx, s, plan, file, out, concurrency, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", a.T("clirequest.bulk.flag.file"))
	f.StringVar(&systemID, "system", "", a.T("clirequest.bulk.flag.system"))
	f.StringVar(&out, "out", "", a.T("clirequest.bulk.flag.out"))
	f.IntVar(&concurrency, "concurrency", bulk.DefaultConcurrency, a.T("clirequest.bulk.flag.concurrency"))
	f.BoolVar(&check, "check", false, a.T("clirequest.bulk.flag.check"))
	f.BoolVar(&asJSON, "json", false, a.T("clirequest.bulk.flag.json"))
	return cmd
}

func bulkProblems(a *cli.App, asJSON bool, file string, rows int, problems []bulk.Problem) error {
	err := &bulk.ProblemsError{File: file, Rows: rows, Problems: problems}
	if asJSON {
		return a.FailJSON(err, map[string]any{"problems": problems, "sent": 0})
	}
	return err
}

// bulkProgress draws a progress bar on a terminal's stderr, at most ten times a second.
type bulkProgress struct {
	a     *cli.App
	bar   progress.Model
	total int
	last  time.Time
	start time.Time
	done  int
	count map[string]int
}

func (p *bulkProgress) update(r bulk.Result, force bool) {
	p.done++
	p.count[r.Outcome]++
	if !force && time.Since(p.last) < 100*time.Millisecond && p.done < p.total {
		return
	}
	p.last = time.Now()
	pct := float64(p.done) / float64(max(p.total, 1))
	rate := float64(p.done) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.a.Stderr, "\r%s %s \x1b[K", p.bar.ViewAs(pct), p.a.T("clirequest.bulk.progress", "Done", p.done, "Total", p.total,
		"Created", p.count[bulk.OutcomeCreated], "Existing", p.count[bulk.OutcomeExisting], "Failed", p.count[bulk.OutcomeFailed],
		"Rate", fmt.Sprintf("%.0f", rate)))
}

func runBulk(a *cli.App, ctx context.Context, s *steps.Session, plan *bulk.Plan, file, out string, concurrency int, asJSON bool) error {
	var mu sync.Mutex
	opts := bulk.Options{Concurrency: concurrency}
	var bar *bulkProgress
	switch {
	case asJSON:
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		opts.OnResult = func(r bulk.Result) {
			mu.Lock()
			defer mu.Unlock()
			_ = enc.Encode(r)
		}
	case !cli.IsTerminal(a.Stderr):
		// A log, not a terminal: a line per tenth of the way.
		done, step := 0, max(len(plan.Items)/10, 1)
		opts.OnResult = func(r bulk.Result) {
			done++
			if done%step == 0 || done == len(plan.Items) {
				fmt.Fprintln(a.Stderr, a.T("clirequest.bulk.rows_done", "Done", done, "Total", len(plan.Items)))
			}
		}
	default:
		bar = &bulkProgress{a: a, bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(30)), total: len(plan.Items),
			start: time.Now(), count: map[string]int{}}
		opts.OnResult = func(r bulk.Result) { bar.update(r, false) }
	}
	results, sum, runErr := bulk.Run(ctx, s, plan, opts)
	if bar != nil {
		fmt.Fprintln(a.Stderr)
	}
	var buf bytes.Buffer
	if err := bulk.WriteResults(&buf, results); err != nil {
		return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clirequest.bulk.write_failed"), err))
	}
	writeErr := safefile.Write(out, buf.Bytes(), 0o600)
	if asJSON {
		summary := map[string]any{"summary": true, "ok": runErr == nil && sum.Failed == 0 && writeErr == nil, "system": plan.System.ID,
			"total": sum.Total, "created": sum.Created, "existing": sum.Existing, "failed": sum.Failed, "throttled": sum.Throttled,
			"elapsed_ms": sum.Elapsed.Milliseconds(), "out": out}
		if runErr != nil {
			summary["error"] = "interrupted: " + runErr.Error() //i18n:ignore --json stays English
		}
		if writeErr != nil {
			summary["error"] = writeErr.Error()
		}
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(summary)
		if runErr != nil || sum.Failed > 0 || writeErr != nil {
			return cli.ReportedError{Err: errors.New("bulk run incomplete")} //i18n:ignore --json: the summary object said it
		}
		return nil
	}
	st := a.Styles()
	done := fmt.Sprint(len(results))
	if len(results) < sum.Total {
		done = a.T("clirequest.bulk.n_of", "Done", len(results), "Total", sum.Total)
	}
	throttled := ""
	if sum.Throttled > 0 {
		throttled = a.Text().N("clirequest.bulk.throttled", sum.Throttled)
	}
	fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.summary", "Done", done, "System", plan.System.ID, "Created", st.Pass.Render(fmt.Sprint(sum.Created)),
		"Existing", fmt.Sprint(sum.Existing), "Failed", failStyle(st, sum.Failed), "Elapsed", sum.Elapsed.Round(10*time.Millisecond), "Throttled", throttled))
	if sum.Existing > 0 {
		byStatus := map[string]int{}
		for _, r := range results {
			if r.Outcome == bulk.OutcomeExisting {
				byStatus[r.Status]++
			}
		}
		order := []string{altinn.StatusNew, altinn.StatusAccepted, altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout}
		for k := range byStatus {
			if !slices.Contains(order, k) {
				order = append(order, k)
			}
		}
		sort.Strings(order[5:])
		var parts []string
		for _, k := range order {
			if n := byStatus[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, k)) //i18n:ignore a count and a status code
			}
		}
		fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.existing", "List", strings.Join(parts, ", ")))
	}
	if sum.Failed > 0 {
		fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.failed_rows"))
		shown := 0
		for _, r := range results {
			if r.Outcome == bulk.OutcomeFailed && shown < 20 {
				fmt.Fprintln(a.Stdout, "  "+a.T("clirequest.bulk.failed_row", "Row", r.Row, "Org", r.Org, "Error", r.Error))
				shown++
			}
		}
		if sum.Failed > shown {
			fmt.Fprintln(a.Stdout, "  "+a.T("clirequest.bulk.more_failed", "N", sum.Failed-shown, "Out", out))
		}
		fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.retry"))
	}
	if writeErr != nil {
		return fmt.Errorf("%s: %w", a.T("clirequest.bulk.not_saved"), writeErr)
	}
	fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.results", "Out", out))
	if runErr != nil {
		// Said here: the generic "cancelled" would hide that a re-run is safe.
		fmt.Fprintln(a.Stderr, "sbs-tui: "+a.T("clirequest.bulk.interrupted", "Done", len(results), "Total", sum.Total, "Err", runErr)) //i18n:ignore the program name
		return cli.ReportedError{Err: runErr}
	}
	if sum.Failed > 0 {
		return cli.ReportedError{Err: errors.New(a.Text().N("clirequest.bulk.rows_failed", sum.Failed))}
	}
	fmt.Fprintln(a.Stdout, a.T("clirequest.bulk.follow"))
	return nil
}

func failStyle(st cli.Styles, n int) string {
	if n == 0 {
		return fmt.Sprint(n)
	}
	return st.Fail.Render(fmt.Sprint(n))
}
