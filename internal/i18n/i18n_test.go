package i18n

import (
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// messages flattens one message file to id → plural form → text, as go-i18n reads it (nested
// tables join their keys with "."; a table of plural forms is one message).
func messages(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	data, err := locales.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string]map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		if isPlural(m) {
			forms := map[string]string{}
			for k, v := range m {
				forms[k], _ = v.(string)
			}
			out[prefix] = forms
			return
		}
		for k, v := range m {
			id := k
			if prefix != "" {
				id = prefix + "." + k
			}
			switch v := v.(type) {
			case string:
				out[id] = map[string]string{"other": v}
			case map[string]any:
				walk(id, v)
			default:
				t.Errorf("%s: %s is a %T, want a text or a table", name, id, v)
			}
		}
	}
	walk("", raw)
	return out
}

var pluralForms = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

func isPlural(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k, v := range m {
		if _, ok := v.(string); !ok || !pluralForms[k] {
			return false
		}
	}
	return true
}

// templateAction is one {{…}} of a message; templateField a field it reads, also inside an
// if ({{if eq .What "header"}}headeren{{else}}…).
var (
	templateAction = regexp.MustCompile(`\{\{(.*?)\}\}`)
	templateField  = regexp.MustCompile(`(?:^|[\s(])\.(\w+)`)
)

func vars(s string) string {
	var names []string
	for _, a := range templateAction.FindAllStringSubmatch(s, -1) {
		for _, m := range templateField.FindAllStringSubmatch(a[1], -1) {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// TestEveryLanguageHasTheSameMessages: every message file exists in nb, nn and en, with the
// same ids, the same template data in each text, and an "other" form for each plural.
func TestEveryLanguageHasTheSameMessages(t *testing.T) {
	en, err := files(EN)
	if err != nil || len(en) == 0 {
		t.Fatalf("no English message files: %v", err)
	}
	for _, lang := range Langs[1:] {
		files, _ := files(lang)
		if len(files) != len(en) {
			t.Errorf("%s has %d message files, en has %d: %v vs %v", lang, len(files), len(en), files, en)
		}
	}
	for _, enFile := range en {
		area := strings.TrimSuffix(path.Base(enFile), ".en.toml")
		ref := messages(t, enFile)
		// go-i18n reads a table holding a key such as "other" or "description" as one message:
		// every id must reach the printer as this test reads it.
		for _, lang := range Langs {
			p := MustNew(lang)
			for id := range ref {
				if !p.Has(area + "." + id) {
					t.Errorf("%s: message %s.%s does not load (a reserved key such as other, one or description in its table?)", lang, area, id)
				}
			}
		}
		for _, lang := range Langs[1:] {
			name := "locales/" + area + "." + string(lang) + ".toml"
			got := messages(t, name)
			for id, forms := range ref {
				tr, ok := got[id]
				if !ok {
					t.Errorf("%s: message %s is missing (it is in %s)", name, id, enFile)
					continue
				}
				if tr["other"] == "" {
					t.Errorf("%s: message %s has no \"other\" form", name, id)
				}
				if v, w := vars(strings.Join(values(tr), " ")), vars(strings.Join(values(forms), " ")); v != w {
					t.Errorf("%s: message %s uses template data {%s}, en uses {%s}", name, id, v, w)
				}
			}
			for id := range got {
				if _, ok := ref[id]; !ok {
					t.Errorf("%s: message %s is not in %s", name, id, enFile)
				}
			}
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestResolveFollowsFlagThenConfigThenLocale(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		flag, config string
		env          func(string) string
		want         Lang
	}{
		{"", "", env(), EN},
		{"", "", env("LANG", "nb_NO.UTF-8"), NB},
		{"", "", env("LANG", "no_NO"), NB},
		{"", "", env("LANG", "nn_NO.UTF-8"), NN},
		{"", "", env("LANG", "nb_NO.UTF-8", "LC_MESSAGES", "en_GB.UTF-8"), EN},
		{"", "", env("LANG", "en_US.UTF-8", "LC_MESSAGES", "nn_NO"), NN},
		{"", "", env("LANG", "nb_NO.UTF-8", "LC_ALL", "C"), EN},
		{"", "nn", env("LANG", "nb_NO.UTF-8"), NN},
		{"en", "nn", env("LANG", "nb_NO.UTF-8"), EN},
		{"NB", "", env(), NB},
	} {
		got, err := Resolve(c.flag, c.config, c.env)
		if err != nil || got != c.want {
			t.Errorf("Resolve(%q, %q, …) = %q, %v; want %q", c.flag, c.config, got, err, c.want)
		}
	}
	if _, err := Resolve("de", "", env()); err == nil || !strings.Contains(err.Error(), "--lang") {
		t.Errorf("Resolve(de) = %v, want an error naming --lang", err)
	}
	if _, err := Resolve("", "sv", env()); err == nil || !strings.Contains(err.Error(), "config key lang") {
		t.Errorf("Resolve(config sv) = %v, want an error naming the config key", err)
	}
}

func TestDatesNumbersAndPluralsInEachLanguage(t *testing.T) {
	at := time.Date(2026, 12, 5, 14, 3, 9, 0, time.UTC)
	for _, c := range []struct {
		lang                  Lang
		datetime, number, dur string
	}{
		{NB, "5. des. 2026 14:03", "20\u00a0000", "4\u00a0min 32\u00a0s"},
		{NN, "5. des. 2026 14:03", "20\u00a0000", "4\u00a0min 32\u00a0s"},
		{EN, "5 Dec 2026 14:03", "20,000", "4m 32s"},
	} {
		p := MustNew(c.lang)
		if got := p.DateTime(at); got != c.datetime {
			t.Errorf("%s DateTime = %q, want %q", c.lang, got, c.datetime)
		}
		if got := p.Number(20000); got != c.number {
			t.Errorf("%s Number = %q, want %q", c.lang, got, c.number)
		}
		if got := p.Duration(4*time.Minute + 32*time.Second); got != c.dur {
			t.Errorf("%s Duration = %q, want %q", c.lang, got, c.dur)
		}
		if got := p.T("no.such.message"); got != "⟨no.such.message⟩" {
			t.Errorf("%s missing id = %q", c.lang, got)
		}
	}
	for _, c := range []struct {
		lang Lang
		n    int
		want string
	}{{NB, 1, "1 forespørsel"}, {NB, 2, "2 forespørsler"}, {NN, 1, "1 førespurnad"}, {NN, 20000, "20\u00a0000 førespurnader"}, {EN, 1, "1 request"}, {EN, 0, "0 requests"}} {
		if got := MustNew(c.lang).N("common.count.requests", c.n); got != c.want {
			t.Errorf("%s N(requests, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := MustNew(NN).Month(time.March); got != "mars" {
		t.Errorf("nn March = %q", got)
	}
}

// files lists the embedded message files of one language ("locales/page.nb.toml", …).
func files(lang Lang) ([]string, error) {
	all, err := fs.Glob(locales, "locales/*."+string(lang)+".toml")
	if err != nil {
		return nil, err
	}
	sort.Strings(all)
	return all, nil
}
