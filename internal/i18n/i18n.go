// Package i18n is the catalogue of every text a user reads, in bokmål (nb), nynorsk (nn) and
// English (en). The texts live in TOML message files under locales/ (one file per area and
// language, e.g. page.nb.toml), which a translator edits without touching Go; the code names
// a message by its id. Plurals follow CLDR's rules (go-i18n), numbers and dates the language's
// own form ("5. des. 2026 14:03" in nb and nn).
//
// A Printer is built once per program run for one language and passed along (kit.Env,
// cli.App); nothing here is a package global.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Lang is one of the languages the catalogue holds.
type Lang string

const (
	NB Lang = "nb" // bokmål: the default for a Norwegian locale
	NN Lang = "nn" // nynorsk
	EN Lang = "en" // English: the default otherwise
)

// Langs lists the catalogue's languages, English (the reference) first.
var Langs = [...]Lang{EN, NB, NN}

//go:embed locales/*.toml
var locales embed.FS

// Parse reads a --lang value or a config's lang key.
func Parse(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nb", "no", "nob", "bokmål", "bokmal":
		return NB, nil
	case "nn", "nno", "nynorsk":
		return NN, nil
	case "en", "eng", "english":
		return EN, nil
	}
	return "", fmt.Errorf("language %q is not one of nb (bokmål), nn (nynorsk) or en (English)", s)
}

// FromLocale maps a POSIX locale ("nb_NO.UTF-8", "no_NO", "nn_NO", "en_US.UTF-8", "C") to a
// language: Norwegian bokmål (nb, and the macrolanguage no) and nynorsk are theirs, any other
// locale is English.
func FromLocale(locale string) Lang {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "_.@-"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "nb", "no", "nob":
		return NB
	case "nn", "nno":
		return NN
	}
	return EN
}

// Resolve picks the language as a user expects: the --lang flag, else the config file's lang
// key, else the locale of the environment in POSIX order (LC_ALL, then LC_MESSAGES, then
// LANG: the first that is set decides, so LC_ALL=C means English whatever LANG says).
func Resolve(flag, configured string, getenv func(string) string) (Lang, error) {
	if flag != "" {
		l, err := Parse(flag)
		if err != nil {
			return "", fmt.Errorf("--lang: %w", err)
		}
		return l, nil
	}
	if configured != "" {
		l, err := Parse(configured)
		if err != nil {
			return "", fmt.Errorf("config key lang: %w", err)
		}
		return l, nil
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			return FromLocale(s), nil
		}
	}
	return EN, nil
}

// Printer renders the catalogue's messages in one language. It loads an area's files on the
// first use of one of its ids, so a command that prints one line does not parse the whole
// catalogue; it is safe for concurrent use (steps run in goroutines while the view renders).
type Printer struct {
	lang   Lang
	number *message.Printer

	mu     sync.RWMutex
	bundle *goi18n.Bundle
	loc    *goi18n.Localizer
	loaded map[string]bool // area → its files are in the bundle
	months []string
}

// New is the catalogue in lang (English fills any gap, which the parity test forbids). The
// shared forms (area common) are checked at once.
func New(lang Lang) (*Printer, error) {
	if _, err := Parse(string(lang)); err != nil {
		return nil, err
	}
	b := goi18n.NewBundle(language.English)
	p := &Printer{lang: lang, bundle: b, loc: goi18n.NewLocalizer(b, string(lang), string(EN)),
		number: message.NewPrinter(language.MustParse(string(lang))), loaded: map[string]bool{}}
	if err := p.load("common"); err != nil {
		return nil, err
	}
	p.months = strings.Split(p.T("common.date.months"), "|")
	if len(p.months) != 12 {
		return nil, fmt.Errorf("message date.months in %s has %d months, want 12 separated by |", lang, len(p.months))
	}
	return p, nil
}

// load adds one area's English and own-language files to the bundle; the caller holds mu
// for writing (or owns p alone).
func (p *Printer) load(area string) error {
	p.loaded[area] = true
	for _, l := range []Lang{EN, p.lang} {
		name := "locales/" + area + "." + string(l) + ".toml"
		data, err := locales.ReadFile(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // no such area: the id renders as missing
			}
			return err
		}
		if err := addFile(p.bundle, name, data); err != nil {
			return err
		}
		if p.lang == EN {
			break
		}
	}
	return nil
}

// addFile adds one message file's messages under its area: the ids of page.nb.toml are
// "page.…", so each area names its messages freely.
func addFile(b *goi18n.Bundle, name string, data []byte) error {
	mf, err := goi18n.ParseMessageFileBytes(data, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		return fmt.Errorf("message file %s: %w", name, err)
	}
	area := Area(name)
	for _, m := range mf.Messages {
		m.ID = area + "." + m.ID
	}
	if err := b.AddMessages(mf.Tag, mf.Messages...); err != nil {
		return fmt.Errorf("message file %s: %w", name, err)
	}
	return nil
}

// Area is a message file's area, the prefix of its ids: "page" for locales/page.nb.toml.
func Area(name string) string {
	base := path.Base(name)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		return base[:i]
	}
	return base
}

// English is the English catalogue shared by code that has no printer of its own (the
// English forms of explain.Format and support.Describe, a session or an analysis built
// without one). It is built on first use, not at start-up, and once: a printer is safe for
// concurrent use, and parsing the catalogue on every call made token analysis five times
// slower.
var English = sync.OnceValue(func() *Printer { return MustNew(EN) })

// MustNew is New for the built-in languages, whose files the tests check.
func MustNew(lang Lang) *Printer {
	p, err := New(lang)
	if err != nil {
		panic(err)
	}
	return p
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// T renders message id (its file's area, then its key: "page.env.title") with its template
// data given as name, value pairs: T("page.request.created", "Org", org). A missing id renders as ⟨id⟩ so a gap shows on screen
// (and TestEveryIDInTheCodeIsInTheCatalogue fails).
func (p *Printer) T(id string, pairs ...any) string {
	return p.localize(id, nil, pairs)
}

// N renders the plural message id for count n (CLDR's one/other), with {{.Count}} set to n
// in the language's number form and further pairs as in T.
func (p *Printer) N(id string, n int, pairs ...any) string {
	return p.localize(id, n, append([]any{"Count", p.Number(n)}, pairs...))
}

func (p *Printer) localize(id string, count any, pairs []any) string {
	p.ensure(id)
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	p.mu.RLock()
	s, err := p.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	p.mu.RUnlock()
	if err != nil && s == "" {
		return "⟨" + id + "⟩"
	}
	return s
}

// Has says whether the catalogue holds id (for texts chosen by a code, such as a verdict).
func (p *Printer) Has(id string) bool {
	p.ensure(id)
	p.mu.RLock()
	defer p.mu.RUnlock()
	_, err := p.loc.Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// ensure loads the area of id (the part before its first dot) if it is not loaded yet. A
// broken embedded file is a build defect the parity test catches; here it leaves ids missing.
func (p *Printer) ensure(id string) {
	area, _, _ := strings.Cut(id, ".")
	p.mu.RLock()
	done := p.loaded[area]
	p.mu.RUnlock()
	if done {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded[area] {
		_ = p.load(area)
	}
}

// Number formats n with the language's digit grouping (20 000 in nb and nn, 20,000 in en).
func (p *Printer) Number(n int) string { return p.number.Sprintf("%d", n) }

// Month is the abbreviated name of month m ("des." in nb, "Dec" in en).
func (p *Printer) Month(m time.Month) string { return p.months[m-1] }

// Date formats t's day in the language's form: "5. des. 2026" (nb, nn), "5 Dec 2026" (en).
func (p *Printer) Date(t time.Time) string {
	return p.T("common.date.day", "Day", t.Day(), "Month", p.Month(t.Month()), "Year", t.Year())
}

// DateTime is Date with the time of day to the minute: "5. des. 2026 14:03".
func (p *Printer) DateTime(t time.Time) string {
	return p.T("common.date.datetime", "Date", p.Date(t), "Clock", t.Format("15:04"))
}

// Clock is the time of day to the second, the same in every language ("14:03:09").
func (p *Printer) Clock(t time.Time) string { return t.Format("15:04:05") }

// Duration says d in words a reader takes in at a glance, rounded to the second:
// "4 min 32 s" (nb, nn) or "4m 32s" (en); "1 t 5 min" / "1h 5m" from an hour up.
func (p *Printer) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return p.T("common.duration.hm", "H", h, "M", m)
	case m > 0 && s > 0:
		return p.T("common.duration.ms", "M", m, "S", s)
	case m > 0:
		return p.T("common.duration.m", "M", m)
	}
	return p.T("common.duration.s", "S", s)
}
