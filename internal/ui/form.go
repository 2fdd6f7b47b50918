package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// embeddedForm wraps a huh form inside a step: the step returns init() on entering (huh needs
// it to focus the first field) and checks the state after every update.
type embeddedForm struct {
	form *huh.Form
}

func newForm(groups ...*huh.Group) *embeddedForm {
	f := huh.NewForm(groups...).WithShowHelp(true).WithShowErrors(true)
	return &embeddedForm{form: f}
}

func (f *embeddedForm) init() tea.Cmd { return f.form.Init() }

// update forwards msg and reports the form's state afterwards.
func (f *embeddedForm) update(msg tea.Msg) (tea.Cmd, huh.FormState) {
	m, cmd := f.form.Update(msg)
	if ff, ok := m.(*huh.Form); ok {
		f.form = ff
	}
	return cmd, f.form.State
}

func (f *embeddedForm) view() string { return f.form.View() }

func (f *embeddedForm) setSize(w, h int) {
	f.form = f.form.WithWidth(w).WithHeight(h)
}
