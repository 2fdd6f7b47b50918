package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// Progress is what the wizard saves after each step: where the user is and the answers, never
// keys or tokens. Approval can take days, so the next start offers to resume.
type Progress struct {
	Version   int       `json:"version"`
	Profile   string    `json:"profile"`
	Env       string    `json:"env"`
	UpdatedAt time.Time `json:"updated_at"`
	Current   int       `json:"current"`
	Done      []bool    `json:"done"`
	Flow      kit.Flow  `json:"flow"`
	// Drafts are unfinished forms (kit.Drafter) by step index, given back on resume.
	Drafts map[int]json.RawMessage `json:"drafts,omitempty"`
}

// Resumable reports whether there is something to resume: started (a step done, or a form
// half filled in) and not finished.
func (p *Progress) Resumable(steps int) bool {
	if p == nil {
		return false
	}
	any, all := len(p.Drafts) > 0, len(p.Done) >= steps
	for i := 0; i < steps; i++ {
		d := i < len(p.Done) && p.Done[i]
		any = any || d
		all = all && d
	}
	return any && !all
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ProgressPath is the resume file of a profile in an environment.
func ProgressPath(stateDir, env, profile string) string {
	return filepath.Join(stateDir, fmt.Sprintf("progress-%s-%s.json", env, unsafeName.ReplaceAllString(profile, "_")))
}

// LoadProgress reads a resume file; a missing one is (nil, nil). Its errors speak t's language.
func LoadProgress(t *i18n.Printer, path string) (*Progress, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(data) > 1<<20 {
		return nil, errors.New(t.T("ui.resume.too_large", "Path", path))
	}
	var p Progress
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, errors.New(t.T("ui.resume.unreadable", "Path", path, "Err", err.Error()))
	}
	return &p, nil
}

func (a *App) progressPath() string {
	if a.env.Opts.StateDir == "" {
		return ""
	}
	s := a.env.Session
	return ProgressPath(a.env.Opts.StateDir, s.Env.Name, s.ProfileName)
}

// save writes the progress atomically (0600: it names customers and requests).
func (a *App) save() {
	if !a.savesProgress() {
		return
	}
	path := a.progressPath()
	p := Progress{Version: 1, Profile: a.env.Session.ProfileName, Env: a.env.Session.Env.Name, UpdatedAt: a.env.Now(),
		Current: a.current, Done: a.done, Flow: *a.env.Flow}
	for i := range a.steps {
		if raw := a.draftOf(i); raw != nil {
			if p.Drafts == nil {
				p.Drafts = map[int]json.RawMessage{}
			}
			p.Drafts[i] = raw
		}
	}
	p.Flow.ConfirmPath = ""
	if u, err := url.Parse(a.env.Flow.ConfirmURL); err == nil && a.env.Flow.ConfirmURL != "" {
		p.Flow.ConfirmPath = u.RequestURI() // no host or port: they may differ next time
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return
	}
	if err := safefile.Write(path, data, 0o600); err != nil {
		a.env.Session.Log.Warn("save progress", "error", err.Error()) //i18n:ignore a log event's name, not shown in the UI
		return
	}
	a.saved = true
}

// draftOf is step i's unfinished form, nil when it has none to save.
func (a *App) draftOf(i int) json.RawMessage {
	if d, ok := a.steps[i].(kit.Drafter); ok {
		return d.Draft()
	}
	return nil
}

// savesProgress reports that this run writes its progress: it has a progress file (not
// --fresh), and the resume question is answered (until then the saved progress stands).
func (a *App) savesProgress() bool {
	return a.progressPath() != "" && a.resume == nil
}

// savesDraft reports that quitting now keeps the current step's unfinished form.
func (a *App) savesDraft() bool {
	return a.savesProgress() && a.draftOf(a.current) != nil
}

// restoreDrafts gives the saved unfinished forms back to their steps.
func (a *App) restoreDrafts(p *Progress) {
	for i, raw := range p.Drafts {
		if i < 0 || i >= len(a.steps) {
			continue
		}
		if d, ok := a.steps[i].(kit.Drafter); ok {
			d.RestoreDraft(raw, i == a.current)
		}
	}
}

func (a *App) clearProgress() {
	if path := a.progressPath(); path != "" {
		_ = os.Remove(path)
	}
}
