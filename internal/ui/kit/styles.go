// Package kit is what the wizard's root and its step components share: the environment,
// styles, keys and actions, forms, in-flight work, the messages steps send the root, and
// rendering helpers.
package kit

import (
	"github.com/charmbracelet/lipgloss"
)

// Styles are every style the wizard draws with, built from one renderer so that a colour
// profile (or --no-color) applies everywhere.
type Styles struct {
	Renderer *lipgloss.Renderer

	Header, HeaderEnv, SandboxBadge, TestBadge, ProdBadge lipgloss.Style
	StepDone, StepCurrent, StepPending, StepTitle         lipgloss.Style
	Title, Subtle, Bold, Pass, Warn, Fail, Info, Key      lipgloss.Style
	Box, Code, Link, Footer, Error, Selected              lipgloss.Style
}

// NewStyles builds the styles on r.
func NewStyles(r *lipgloss.Renderer) Styles {
	s := Styles{Renderer: r}
	s.Header = r.NewStyle().Bold(true).Padding(0, 1)
	s.HeaderEnv = r.NewStyle().Faint(true)
	s.SandboxBadge = r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("3")).Padding(0, 1)
	s.TestBadge = r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("6")).Padding(0, 1)
	s.ProdBadge = r.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("1")).Padding(0, 1)
	s.StepDone = r.NewStyle().Foreground(lipgloss.Color("2"))
	s.StepCurrent = r.NewStyle().Bold(true).Foreground(lipgloss.Color("12"))
	s.StepPending = r.NewStyle().Faint(true)
	s.StepTitle = r.NewStyle().Bold(true).Underline(true)
	s.Title = r.NewStyle().Bold(true)
	s.Subtle = r.NewStyle().Faint(true)
	s.Bold = r.NewStyle().Bold(true)
	s.Pass = r.NewStyle().Foreground(lipgloss.Color("2"))
	s.Warn = r.NewStyle().Foreground(lipgloss.Color("3"))
	s.Fail = r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	s.Info = r.NewStyle().Foreground(lipgloss.Color("6"))
	s.Key = r.NewStyle().Bold(true).Foreground(lipgloss.Color("12"))
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.Code = r.NewStyle().Foreground(lipgloss.Color("13"))
	s.Link = r.NewStyle().Underline(true).Foreground(lipgloss.Color("12"))
	s.Footer = r.NewStyle().Faint(true)
	s.Error = r.NewStyle().Foreground(lipgloss.Color("1"))
	s.Selected = r.NewStyle().Reverse(true)
	return s
}
