package kit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// Options are the wizard's settings from the command line.
type Options struct {
	QR    qr.Mode
	Mouse bool
	// StateDir holds resume files; "" disables resuming.
	StateDir string
	// SampleAPIPath is the sandbox's sample API path, for step 8's default URL.
	SampleAPIPath string
	// KeyDir is where generated keys are written.
	KeyDir string
}

// Env is what every step shares: the session, styles, keys, clock, and the terminal hooks.
// It is built once by the caller and passed by pointer; nothing here is a package global.
type Env struct {
	Session *steps.Session
	// Admin is a session for the self-service API (creating clients, uploading keys); nil
	// when none is configured. The sandbox always has one.
	Admin  *steps.Session
	Styles Styles
	Keys   KeyMap
	// Text is the catalogue in the user's language: every text on screen comes from it.
	Text *i18n.Printer
	Now  func() time.Time
	Opts Options
	// Clipboard copies text with OSC 52; Browser opens a URL. Tests record the calls.
	Clipboard func(text string) error
	Browser   func(url string) error
	// Hyperlink wraps text in an OSC 8 link when the terminal supports it.
	Hyperlink func(url, text string) string
	// Flow holds the answers and results the steps pass along.
	Flow *Flow
	// Base is the context of every network call: cancelled when the program ends.
	Base context.Context
	// Record returns the session's HTTP exchanges, redacted (the log pane, key l); nil: none.
	Record func() []httpx.Exchange
	// Report writes the support report and returns its path (key s); nil: not offered.
	Report func() (string, error)
	// Tick schedules a message after d (countdowns, polling); nil is tea.Tick. Tests that
	// drive Update by hand pass one that never fires.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

// T renders a catalogue message (see i18n.Printer.T).
func (e *Env) T(id string, pairs ...any) string { return e.Text.T(id, pairs...) }

// N renders a plural catalogue message for count n (see i18n.Printer.N).
func (e *Env) N(id string, n int, pairs ...any) string { return e.Text.N(id, n, pairs...) }

// After schedules fn's message after d through Env.Tick (tea.Tick when nil).
func (e *Env) After(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if e.Tick != nil {
		return e.Tick(d, fn)
	}
	return tea.Tick(d, fn)
}

// Flow is the wizard's data: answers and results, never secrets or tokens. It is what the
// resume file stores, so it holds ids and paths but no host or port: the confirmUrl is read
// again from Altinn on resume (the server may run elsewhere by then).
type Flow struct {
	SystemID    string   `json:"system_id,omitempty"`
	SystemJSON  string   `json:"system_json,omitempty"`
	Packages    []string `json:"packages,omitempty"`
	CustomerOrg string   `json:"customer_org,omitempty"`
	Agent       bool     `json:"agent,omitempty"`
	ExternalRef string   `json:"external_ref,omitempty"`
	// RequestPackages and Redirect are the request's answers (Packages are the system's).
	RequestPackages []string `json:"request_packages,omitempty"`
	Redirect        string   `json:"redirect,omitempty"`
	// KeyFile and KeyKid name the key step 3 switched the session to, when it is not the
	// profile's (a generated key's PEM file, 0600), and ClientID the client created for it:
	// a resumed session uses them again. KeyPKCS12 marks a business certificate, which is
	// never saved (its password is not kept): step 3 must load it again.
	KeyFile    string `json:"key_file,omitempty"`
	KeyKid     string `json:"key_kid,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	KeyPKCS12  bool   `json:"key_pkcs12,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	ConfirmURL string `json:"-"`
	// ConfirmPath is the confirmUrl without scheme and host, as saved: the URL is read again
	// from Altinn on resume.
	ConfirmPath string `json:"confirm_url,omitempty"`
	Status      string `json:"status,omitempty"`
	// Change is true when RequestID is a change request for an existing system user.
	Change bool   `json:"change,omitempty"`
	Scope  string `json:"scope,omitempty"`
	// APIURL is the URL step 8 calls when the user changed it; "" is the default.
	APIURL string `json:"api_url,omitempty"`
}

// CallTimeout bounds one step's network work.
const CallTimeout = 60 * time.Second
