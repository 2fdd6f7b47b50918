package kit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Form wraps a huh form inside a step: the step returns init() on entering (huh needs
// it to focus the first field) and checks the state after every update. The form is kept
// within its room, so its error line (under the fields) is always on screen; its keys are
// shown in the wizard's footer, not in the form.
type Form struct {
	form          *huh.Form
	width, height int
	errStyle      lipgloss.Style
}

// NewForm builds an embedded huh form on groups, its help and errors drawn by the wizard.
func NewForm(groups ...*huh.Group) *Form {
	f := huh.NewForm(groups...).WithShowHelp(false).WithShowErrors(false)
	return &Form{form: f, errStyle: lipgloss.NewStyle().Foreground(lipgloss.Color("1"))}
}

// NewConfirm is a yes/no field whose buttons say yes and no in env's language, the words the
// footer's y and n keys say (form_key.yes/no); huh's own buttons are "Yes" and "No".
func NewConfirm(env *Env) *huh.Confirm {
	return huh.NewConfirm().Affirmative(env.T("kit.form_key.yes")).Negative(env.T("kit.form_key.no"))
}

// Init is huh's Init: it focuses the first field (return it from Enter).
func (f *Form) Init() tea.Cmd { return f.form.Init() }

// Update forwards msg and reports the form's state afterwards.
func (f *Form) Update(msg tea.Msg) (tea.Cmd, huh.FormState) {
	if k, ok := msg.(tea.KeyMsg); ok && arrowTowardsChoice(f.form.GetFocusedField(), k) {
		return nil, f.form.State
	}
	m, cmd := f.form.Update(msg)
	if ff, ok := m.(*huh.Form); ok {
		f.form = ff
	}
	f.Fit()
	return cmd, f.form.State
}

// View draws the form with huh's padding (blank lines below short groups) collapsed, so the
// error line sits right under the fields it is about.
func (f *Form) View() string {
	lines := strings.Split(f.form.View(), "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(ansi.Strip(l)) == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	// The focused field's error goes right under the field (huh would put it under the whole
	// group, away from what it names); any other error stays at the end.
	var focusedErr error
	if fld := f.form.GetFocusedField(); fld != nil && fld.Error() != nil {
		focusedErr = fld.Error()
		if at := fieldEnd(out, fld.View()); at >= 0 {
			line := WrapText(f.errStyle.Render("✗ "+focusedErr.Error()), f.width)
			out = append(out[:at+1], append([]string{line}, out[at+1:]...)...)
		} else {
			focusedErr = nil
		}
	}
	v := strings.TrimRight(strings.Join(out, "\n"), " \n")
	for _, err := range f.form.Errors() {
		if focusedErr != nil && err.Error() == focusedErr.Error() {
			continue
		}
		v += "\n" + WrapText(f.errStyle.Render("✗ "+err.Error()), f.width)
	}
	return v
}

// fieldEnd is the index of the line in lines where a field's own view ends (its last non-blank
// line, compared without styles), or -1.
func fieldEnd(lines []string, fieldView string) int {
	fl := strings.Split(fieldView, "\n")
	last := ""
	for i := len(fl) - 1; i >= 0 && last == ""; i-- {
		last = strings.TrimSpace(ansi.Strip(fl[i]))
	}
	if last == "" {
		return -1
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(ansi.Strip(lines[i])) == last {
			return i
		}
	}
	return -1
}

// SetSize gives the form w×h cells.
func (f *Form) SetSize(w, h int) {
	f.width, f.height = w, max(h, 4)
	f.Fit()
}

// Fit sizes the form so that its view, error lines included, is at most its room: huh counts
// the group's footer at the time of sizing, so size again after every change.
func (f *Form) Fit() {
	if f.width == 0 {
		return
	}
	f.form = f.form.WithWidth(f.width).WithHeight(f.height)
	if over := lipgloss.Height(f.View()) - f.height; over > 0 {
		f.form = f.form.WithHeight(max(f.height-over, 3))
	}
}

// OwnsEsc reports whether esc means something to the focused field (ending a filter); else
// esc leaves the form.
func (f *Form) OwnsEsc() bool {
	esc := tea.KeyMsg{Type: tea.KeyEsc}
	for _, b := range f.form.KeyBinds() {
		if b.Enabled() && key.Matches(esc, b) {
			return true
		}
	}
	return false
}

// Actions describe the focused field's keys (huh handles them) and esc, which leaves the
// form through leave, keeping every answer.
func (f *Form) Actions(k KeyMap, leave func() tea.Cmd, leaveHelp string) []Action {
	var out []Action
	for _, b := range f.form.KeyBinds() {
		if b.Enabled() && b.Help().Key != "" {
			out = append(out, Action{Key: k.FormKey(b)})
		}
	}
	if !f.OwnsEsc() {
		out = append(out, Act(With(k.Cancel, leaveHelp), leave))
	}
	return out
}

// arrowTowardsChoice: huh's yes/no question toggles on ← and → alike, so → on No chose Yes (the
// left one). An arrow towards the side already chosen is dropped; the other moves there.
func arrowTowardsChoice(field huh.Field, k tea.KeyMsg) bool {
	c, ok := field.(*huh.Confirm)
	if !ok {
		return false
	}
	yes, _ := c.GetValue().(bool)
	switch k.String() {
	case "left", "h":
		return yes // Yes is the left option
	case "right", "l":
		return !yes
	}
	return false
}
