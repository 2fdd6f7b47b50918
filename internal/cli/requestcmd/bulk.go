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
)

func requestBulkCommand(a *cli.App) *cobra.Command {
	var file, systemID, out string
	var asJSON, check bool
	var concurrency int
	cmd := &cobra.Command{
		Use:   "bulk --file customers.csv|customers.json [--system ID]",
		Short: "Create system-user requests for a whole customer list, and write their confirmUrls to a CSV",
		Long: `Reads one customer per row and asks each for a system user. A CSV has a header row with
the columns (in any order; only org is required)
  ` + strings.Join(steps.BulkColumns, ",") + `
and a JSON file is an array of objects with the same keys.

  org                the customer's organisation number (MOD11-checked)
  external_ref       your reference (default: the organisation number)
  type               standard (default) or agent
  packages, rights   codes or URNs separated by ';' (default: everything on the system
                     that the type allows)
  redirect_url       where the customer returns; must match an allowedRedirectUrl
  integration_title  shown to the customer (default: the system's name)

Every row is checked first, and every problem is listed by row and column before anything
is sent. Then the requests are created a few at a time, pausing as long as Altinn asks when
it throttles (429 Retry-After). Altinn keeps one request per (system, org, external_ref),
so running the same file again creates nothing twice: rows sent before are reported as
"existing" with their current status. The results (request id, status, confirmUrl per row)
are written to --out, ready for a mail merge. On a terminal a progress bar shows; with
--json one JSON object per row is streamed to stdout instead.`,
		Example: `  sbs-tui request bulk --file customers.csv
  sbs-tui request bulk --file customers.csv --system 974761076_skatt_demo_system --out sent.csv
  sbs-tui request bulk --file customers.json --json | jq -r 'select(.outcome=="failed")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return cli.Usagef("--file is required: a CSV or JSON file with one customer per row")
			}
			if concurrency < 1 || concurrency > steps.MaxBulkConcurrency {
				return cli.Usagef("--concurrency must be between 1 and %d", steps.MaxBulkConcurrency)
			}
			if out == "" {
				out = strings.TrimSuffix(file, filepath.Ext(file)) + "-requests.csv"
			}
			rows, problems, err := steps.ReadBulkFile(file)
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
			plan, problems := steps.PlanBulk(sys, s.Catalog(ctx), rows)
			if len(problems) > 0 {
				return bulkProblems(a, asJSON, file, len(rows), problems)
			}
			if check {
				if asJSON {
					return a.PrintJSON(map[string]any{"ok": true, "rows": len(plan.Items), "system": sys.ID, "sent": 0})
				}
				fmt.Fprintf(a.Stdout, "%s: all %d rows are fine for system %s; nothing was sent (drop --check to send).\n", file, len(plan.Items), sys.ID)
				return nil
			}
			return runBulk(a, ctx, s, plan, file, out, concurrency, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", "customers file: .csv with a header row, or .json (an array of objects)")
	f.StringVar(&systemID, "system", "", "the registered system's id (needed when your organisation has several)")
	f.StringVar(&out, "out", "", "where to write the results CSV (default: the file's name with -requests.csv)")
	f.IntVar(&concurrency, "concurrency", steps.DefaultBulkConcurrency, "requests in flight at once")
	f.BoolVar(&check, "check", false, "check every row and stop; send nothing")
	f.BoolVar(&asJSON, "json", false, "stream one JSON object per row to stdout (and a summary object last)")
	return cmd
}

func bulkProblems(a *cli.App, asJSON bool, file string, rows int, problems []steps.BulkProblem) error {
	err := &steps.BulkProblemsError{File: file, Rows: rows, Problems: problems}
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

func (p *bulkProgress) update(r steps.BulkResult, force bool) {
	p.done++
	p.count[r.Outcome]++
	if !force && time.Since(p.last) < 100*time.Millisecond && p.done < p.total {
		return
	}
	p.last = time.Now()
	pct := float64(p.done) / float64(max(p.total, 1))
	rate := float64(p.done) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.a.Stderr, "\r%s %d/%d  created %d · existing %d · failed %d  %.0f/s \x1b[K", p.bar.ViewAs(pct), p.done, p.total,
		p.count[steps.OutcomeCreated], p.count[steps.OutcomeExisting], p.count[steps.OutcomeFailed], rate)
}

func runBulk(a *cli.App, ctx context.Context, s *steps.Session, plan *steps.BulkPlan, file, out string, concurrency int, asJSON bool) error {
	var mu sync.Mutex
	opts := steps.BulkOptions{Concurrency: concurrency}
	var bar *bulkProgress
	switch {
	case asJSON:
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		opts.OnResult = func(r steps.BulkResult) {
			mu.Lock()
			defer mu.Unlock()
			_ = enc.Encode(r)
		}
	case !cli.IsTerminal(a.Stderr):
		// A log, not a terminal: a line per tenth of the way.
		done, step := 0, max(len(plan.Items)/10, 1)
		opts.OnResult = func(r steps.BulkResult) {
			done++
			if done%step == 0 || done == len(plan.Items) {
				fmt.Fprintf(a.Stderr, "%d/%d rows done\n", done, len(plan.Items))
			}
		}
	default:
		bar = &bulkProgress{a: a, bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(30)), total: len(plan.Items),
			start: time.Now(), count: map[string]int{}}
		opts.OnResult = func(r steps.BulkResult) { bar.update(r, false) }
	}
	results, sum, runErr := steps.RunBulk(ctx, s, plan, opts)
	if bar != nil {
		fmt.Fprintln(a.Stderr)
	}
	var buf bytes.Buffer
	if err := steps.WriteBulkResults(&buf, results); err != nil {
		return a.MaybeJSON(asJSON, fmt.Errorf("write the results: %w", err))
	}
	writeErr := safefile.Write(out, buf.Bytes(), 0o600)
	if asJSON {
		summary := map[string]any{"summary": true, "ok": runErr == nil && sum.Failed == 0 && writeErr == nil, "system": plan.System.ID,
			"total": sum.Total, "created": sum.Created, "existing": sum.Existing, "failed": sum.Failed, "throttled": sum.Throttled,
			"elapsed_ms": sum.Elapsed.Milliseconds(), "out": out}
		if runErr != nil {
			summary["error"] = "interrupted: " + runErr.Error()
		}
		if writeErr != nil {
			summary["error"] = writeErr.Error()
		}
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(summary)
		if runErr != nil || sum.Failed > 0 || writeErr != nil {
			return cli.ReportedError{Err: errors.New("bulk run incomplete")}
		}
		return nil
	}
	st := a.Styles()
	done := fmt.Sprint(len(results))
	if len(results) < sum.Total {
		done = fmt.Sprintf("%d of %d", len(results), sum.Total)
	}
	fmt.Fprintf(a.Stdout, "%s customers for system %s: %s created, %s already existed, %s failed (%s",
		done, plan.System.ID, st.Pass.Render(fmt.Sprint(sum.Created)), fmt.Sprint(sum.Existing),
		failStyle(st, sum.Failed), sum.Elapsed.Round(10*time.Millisecond))
	if sum.Throttled > 0 {
		fmt.Fprintf(a.Stdout, "; Altinn throttled %d time(s) and was waited out", sum.Throttled)
	}
	fmt.Fprintln(a.Stdout, ").")
	if sum.Existing > 0 {
		byStatus := map[string]int{}
		for _, r := range results {
			if r.Outcome == steps.OutcomeExisting {
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
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
		}
		fmt.Fprintf(a.Stdout, "Already existing: %s. Rejected ones can be deleted and sent again from 'sbs-tui board'.\n", strings.Join(parts, ", "))
	}
	if sum.Failed > 0 {
		fmt.Fprintln(a.Stdout, "Failed rows:")
		shown := 0
		for _, r := range results {
			if r.Outcome == steps.OutcomeFailed && shown < 20 {
				fmt.Fprintf(a.Stdout, "  row %d (%s): %s\n", r.Row, r.Org, r.Error)
				shown++
			}
		}
		if sum.Failed > shown {
			fmt.Fprintf(a.Stdout, "  … and %d more (see %s)\n", sum.Failed-shown, out)
		}
		fmt.Fprintln(a.Stdout, "Run the same command again to retry them: rows already sent are not sent twice.")
	}
	if writeErr != nil {
		return fmt.Errorf("the requests were sent but the results could not be saved: %w", writeErr)
	}
	fmt.Fprintf(a.Stdout, "Results (request id, status and confirmUrl per row): %s\n", out)
	if runErr != nil {
		// Said here: the generic "cancelled" would hide that a re-run is safe.
		fmt.Fprintf(a.Stderr, "sbs-tui: interrupted after %d of %d rows (%v); run the same command again: what was sent is found, not created twice\n",
			len(results), sum.Total, runErr)
		return cli.ReportedError{Err: runErr}
	}
	if sum.Failed > 0 {
		return cli.ReportedError{Err: fmt.Errorf("%d row(s) failed", sum.Failed)}
	}
	fmt.Fprintln(a.Stdout, "Follow the customers' answers with: sbs-tui board")
	return nil
}

func failStyle(st cli.Styles, n int) string {
	if n == 0 {
		return fmt.Sprint(n)
	}
	return st.Fail.Render(fmt.Sprint(n))
}
