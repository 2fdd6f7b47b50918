package cli_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestLanguageComesFromFlagConfigThenLocale: doctor's human report follows --lang, else the
// config's lang key, else LC_ALL/LC_MESSAGES/LANG; --json stays English; a wrong --lang is a
// usage error naming the flag.
func TestLanguageComesFromFlagConfigThenLocale(t *testing.T) {
	v := clitest.NewVendor(t)

	en := clitest.Run(t, "", "--config", v.Cfg, "doctor")
	if en.Code != 0 || !strings.Contains(en.Stdout, "reachable at") || !strings.Contains(en.Stdout, "clock") {
		t.Fatalf("doctor under LC_ALL=C.UTF-8 is not English: %+v", en)
	}
	nb := clitest.Run(t, "", "--config", v.Cfg, "doctor", "--lang", "nb")
	if nb.Code != 0 || !strings.Contains(nb.Stdout, "nås på") || !strings.Contains(nb.Stdout, "klokke") || strings.Contains(nb.Stdout, "reachable at") {
		t.Fatalf("doctor --lang nb is not bokmål: %+v", nb)
	}

	// The locale: LC_ALL decides first; cleared, LANG=nn_NO gives nynorsk.
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "nn_NO.UTF-8")
	nn := clitest.Run(t, "", "--config", v.Cfg, "doctor")
	if nn.Code != 0 || !strings.Contains(nn.Stdout, "kan nåast på") {
		t.Fatalf("doctor under LANG=nn_NO.UTF-8 is not nynorsk: %+v", nn)
	}
	// The config's key beats the locale; --lang beats the config.
	data, err := os.ReadFile(v.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v.Cfg, append([]byte("lang: nb\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := clitest.Run(t, "", "--config", v.Cfg, "doctor"); !strings.Contains(r.Stdout, "nås på") {
		t.Fatalf("config lang: nb under LANG=nn_NO is not bokmål: %+v", r)
	}
	if r := clitest.Run(t, "", "--config", v.Cfg, "--lang", "en", "doctor"); !strings.Contains(r.Stdout, "reachable at") {
		t.Fatalf("--lang en over config lang: nb is not English: %+v", r)
	}

	// --json is for programs: English whatever the language.
	j := clitest.Run(t, "", "--config", v.Cfg, "doctor", "--json")
	var obj struct {
		Report struct {
			Environment struct {
				Checks []struct{ Name, Detail string } `json:"checks"`
			} `json:"environment"`
		} `json:"report"`
	}
	if j.Code != 0 || json.Unmarshal([]byte(j.Stdout), &obj) != nil || len(obj.Report.Environment.Checks) == 0 ||
		obj.Report.Environment.Checks[0].Name != "metadata" || !strings.HasPrefix(obj.Report.Environment.Checks[0].Detail, "reachable at") {
		t.Fatalf("doctor --json under lang nb is not English: %+v", j)
	}

	bad := clitest.Run(t, "", "--config", v.Cfg, "doctor", "--lang", "de")
	if bad.Code != 2 || !strings.Contains(bad.Stderr, "--lang") || !strings.Contains(bad.Stderr, "nb (bokmål)") {
		t.Fatalf("--lang de: %+v", bad)
	}
}

// TestHelpSpeaksTheLanguage: help is printed before any command runs, so the language comes
// from the raw command line (--lang X, --lang=X), the config and the locale; cobra's headings,
// the global flags and the help flag are translated, and English help is cobra's own.
func TestHelpSpeaksTheLanguage(t *testing.T) {
	clitest.Isolate(t)
	nb, en := i18n.MustNew(i18n.NB), i18n.English()
	for _, args := range [][]string{{"--lang", "nb", "request", "--help"}, {"request", "--help", "--lang=nb"}} {
		r := clitest.Run(t, "", args...)
		for _, id := range []string{"cli.usage.global_flags", "cli.usage.commands", "cli.flag.profile"} {
			if r.Code != 0 || !strings.Contains(r.Stdout, nb.T(id)) {
				t.Errorf("%v: no %q (%s) in\n%s", args, nb.T(id), id, r.Stdout)
			}
		}
		if !strings.Contains(r.Stdout, nb.T("cli.usage.help_for", "Name", "request")) || strings.Contains(r.Stdout, "Global Flags:") ||
			strings.Contains(r.Stdout, "(default") || !strings.Contains(r.Stdout, nb.T("cli.usage.default", "Value", "2m0s")) {
			t.Errorf("%v: help is not all bokmål:\n%s", args, r.Stdout)
		}
	}
	if r := clitest.Run(t, "", "--lang", "nb", "token", "--help"); !strings.Contains(r.Stdout, "sbs-tui token [flagg]") || strings.Contains(r.Stdout, "[flags]") {
		t.Errorf("token's usage line in bokmål:\n%s", r.Stdout)
	}
	// Float and unsigned defaults too (sandbox approve's --fraction and --seed).
	if r := clitest.Run(t, "", "--lang", "nb", "sandbox", "approve", "--help"); strings.Contains(r.Stdout, "(default") || !strings.Contains(r.Stdout, "(standard 1)") {
		t.Errorf("sandbox approve's help in bokmål:\n%s", r.Stdout)
	}
	t.Setenv("LC_ALL", "nn_NO.UTF-8")
	if r := clitest.Run(t, "", "--help"); !strings.Contains(r.Stdout, i18n.MustNew(i18n.NN).T("cli.flag.profile")) {
		t.Errorf("help under LC_ALL=nn_NO is not nynorsk:\n%s", r.Stdout)
	}
	t.Setenv("LC_ALL", "C.UTF-8")
	r := clitest.Run(t, "", "request", "--help")
	if !strings.Contains(r.Stdout, "Global Flags:") || !strings.Contains(r.Stdout, en.T("cli.flag.profile")) ||
		!strings.Contains(r.Stdout, `Use "sbs-tui request [command] --help" for more information about a command.`) ||
		!strings.Contains(r.Stdout, "(default 2m0s)") {
		t.Errorf("English help is not cobra's:\n%s", r.Stdout)
	}
	// A wrong --lang does not break help: it is English, and the command itself reports it.
	if r := clitest.Run(t, "", "--lang", "de", "--help"); r.Code != 0 || !strings.Contains(r.Stdout, "Usage:") {
		t.Errorf("--lang de --help: %+v", r)
	}
}

// A wrong organisation number on the command line is refused before anything is sent: exit 2
// (a usage error) naming the flag or argument, with the rule in the user's language; in a
// request it is a violation of partyOrgNo, also in that language.
func TestWrongOrgNumberSpeaksTheLanguageAndIsAUsageError(t *testing.T) {
	v := clitest.NewVendor(t)
	cmd := func(args ...string) []string { return append([]string{"--config", v.Cfg, "--lang", "nb"}, args...) }
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{cmd("token", "--systemuser-org", "313367003"), cli.ExitUsage, "--systemuser-org: organisasjonsnummeret \"313367003\" har feil kontrollsiffer"},
		{cmd("token", "--scope", "skatteetaten:x", "--consumer-org", "12345"), cli.ExitUsage, "--consumer-org: organisasjonsnummeret \"12345\" må ha nøyaktig 9 sifre"},
		{cmd("call", "/skatteetaten/api/sample/v1/whoami", "--systemuser-org", "12345678"), cli.ExitUsage, "--systemuser-org: organisasjonsnummeret \"12345678\" må ha nøyaktig 9 sifre"},
		{cmd("clients", "list", "--systemuser-org", "31136700x"), cli.ExitUsage, "kan bare inneholde sifre"},
		{cmd("doctor", "--systemuser-org", "123"), cli.ExitUsage, "--systemuser-org: organisasjonsnummeret \"123\""},
		{cmd("sandbox", "terms", "123"), cli.ExitUsage, "ORG: organisasjonsnummeret \"123\""},
		{cmd("request", "create", "--system", "974761076_x", "--org", "313367003", "--package", "skattegrunnlag"), cli.ExitUsage, "--org: organisasjonsnummeret \"313367003\" har feil kontrollsiffer"},
		{cmd("request", "change", "--system", "974761076_x", "--org", "313367003", "--package", "skattegrunnlag"), cli.ExitUsage, "--org: organisasjonsnummeret \"313367003\" har feil kontrollsiffer"},
	} {
		r := clitest.Run(t, "", c.args...)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s%s", c.args[3:], r.Code, c.code, c.want, r.Stdout, r.Stderr)
		}
	}
}

// A usage error points at the help of the command it is about, and an id that is not a UUID
// is one (it went to Altinn, which answered 400).
func TestUsageErrorsPointAtTheCommandsHelp(t *testing.T) {
	v := clitest.NewVendor(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"request", "status", "nosuch-id"}, "Run 'sbs-tui request status --help' for usage."},
		{[]string{"request", "change", "delete", "123"}, "Run 'sbs-tui request change delete --help' for usage."},
		{[]string{"sandbox", "escalate", "x"}, `"x" is not an id Altinn gives`},
		{[]string{"request", "create", "--bogus"}, "Run 'sbs-tui request create --help' for usage."},
		{[]string{"--lang", "nb", "request", "delete", "123"}, "Skriv «sbs-tui request delete --help» for bruk."},
	} {
		r := clitest.Run(t, "", append([]string{"--config", v.Cfg}, c.args...)...)
		if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", c.args, r.Code, cli.ExitUsage, c.want, r.Stderr)
		}
	}
}
