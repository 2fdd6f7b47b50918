// Package accesspackages is Altinn's access-package catalog: which packages exist and the two
// flags that decide where a system user may use them. The catalog ships embedded (from
// Access Management's seed data) and can be replaced by the live metadata API's export.
package accesspackages

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// URNPrefix is the prefix of every access-package URN.
const URNPrefix = "urn:altinn:accesspackage:"

//go:embed accesspackages.json
var embedded []byte

// Package is one access package.
type Package struct {
	URN       string            `json:"urn"`
	Code      string            `json:"code"`
	Area      string            `json:"area"`
	AreaGroup string            `json:"areaGroup"`
	Name      map[string]string `json:"name,omitempty"`
	// IsAssignable packages may be given to a standard system user.
	IsAssignable bool `json:"isAssignable"`
	// IsDelegable packages may be given to an agent (client) system user.
	IsDelegable bool `json:"isDelegable"`
}

// Usable reports whether the system register accepts the package at all.
func (p Package) Usable() bool { return p.IsAssignable || p.IsDelegable }

// ClientOnly packages can only be used by agent system users; a system that lists one must be
// registered with isVisible false.
func (p Package) ClientOnly() bool { return p.IsDelegable && !p.IsAssignable }

// Label is the Norwegian name when known, else the code.
func (p Package) Label() string {
	if n := p.Name["nb"]; n != "" {
		return n
	}
	return p.Code
}

// Catalog is a set of packages indexed by URN.
type Catalog struct {
	packages []Package
	byURN    map[string]int
	// Source says where the catalog came from: "embedded" or the export URL.
	Source string
}

// Embedded returns the catalog compiled into the binary, parsed once: a Catalog is never
// changed after it is built, so every caller can share it.
var Embedded = sync.OnceValue(parseEmbedded)

func parseEmbedded() *Catalog {
	var doc struct {
		Packages []Package `json:"packages"`
	}
	if err := json.Unmarshal(embedded, &doc); err != nil {
		panic("accesspackages: embedded catalog is invalid: " + err.Error())
	}
	return newCatalog(doc.Packages, "embedded")
}

func newCatalog(pkgs []Package, source string) *Catalog {
	c := &Catalog{packages: pkgs, byURN: map[string]int{}, Source: source}
	sort.SliceStable(c.packages, func(i, j int) bool {
		if c.packages[i].Area != c.packages[j].Area {
			return c.packages[i].Area < c.packages[j].Area
		}
		return c.packages[i].Code < c.packages[j].Code
	})
	for i, p := range c.packages {
		c.byURN[p.URN] = i
	}
	return c
}

// URN turns a code or URN into the URN ("skattegrunnlag" → "urn:altinn:accesspackage:skattegrunnlag").
func URN(codeOrURN string) string {
	s := strings.TrimSpace(codeOrURN)
	if strings.HasPrefix(s, "urn:") {
		return s
	}
	return URNPrefix + s
}

// Lookup finds a package by code or URN.
func (c *Catalog) Lookup(codeOrURN string) (Package, bool) {
	i, ok := c.byURN[URN(codeOrURN)]
	if !ok {
		return Package{}, false
	}
	return c.packages[i], true
}

// All returns every package, grouped by area.
func (c *Catalog) All() []Package { return append([]Package(nil), c.packages...) }

// Len is the number of packages.
func (c *Catalog) Len() int { return len(c.packages) }

// Suggest returns up to n package codes that contain or resemble s, for "did you mean".
func (c *Catalog) Suggest(s string, n int) []string {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), URNPrefix)
	squash := func(x string) string { return strings.NewReplacer("-", "", "_", "", " ", "").Replace(x) }
	var out []string
	for _, p := range c.packages {
		if strings.Contains(p.Code, s) || squash(p.Code) == squash(s) || (len(s) >= 4 && strings.Contains(squash(p.Code), squash(s))) {
			out = append(out, p.Code)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// ExportPackage and friends are the shapes of Access Management's
// meta/info/accesspackages/export (AreaGroupDto → AreaDto → PackageDto).
type ExportPackage struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	URN          string `json:"urn"`
	Description  string `json:"description,omitempty"`
	IsDelegable  bool   `json:"isDelegable"`
	IsAssignable bool   `json:"isAssignable"`
}

// ExportArea is an AreaDto.
type ExportArea struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	URN      string          `json:"urn"`
	Packages []ExportPackage `json:"packages"`
}

// ExportGroup is an AreaGroupDto.
type ExportGroup struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	URN   string       `json:"urn"`
	Type  string       `json:"type"`
	Areas []ExportArea `json:"areas"`
}

// FromExport builds a catalog from the live export. Packages for persons are kept too; the
// flags decide what system users may use.
func FromExport(data []byte, source string) (*Catalog, error) {
	var groups []ExportGroup
	if err := json.Unmarshal(data, &groups); err != nil {
		return nil, fmt.Errorf("the access-package export is not the expected JSON: %w", err)
	}
	var pkgs []Package
	for _, g := range groups {
		for _, a := range g.Areas {
			for _, p := range a.Packages {
				if !strings.HasPrefix(p.URN, URNPrefix) {
					continue
				}
				pk := Package{URN: p.URN, Code: strings.TrimPrefix(p.URN, URNPrefix), Area: a.Name, AreaGroup: g.Name,
					IsAssignable: p.IsAssignable, IsDelegable: p.IsDelegable}
				if p.Name != "" {
					pk.Name = map[string]string{"nb": p.Name}
				}
				pkgs = append(pkgs, pk)
			}
		}
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("the access-package export from %s lists no packages", source)
	}
	return newCatalog(pkgs, source), nil
}

// Export renders the catalog in the export's shape (the sandbox serves it).
func (c *Catalog) Export() []ExportGroup {
	groups := map[string]*ExportGroup{}
	var order []string
	for _, p := range c.packages {
		g := groups[p.AreaGroup]
		if g == nil {
			g = &ExportGroup{ID: slug(p.AreaGroup), Name: p.AreaGroup, URN: "accesspackage:areagroup:" + slug(p.AreaGroup), Type: "Organisasjon"}
			groups[p.AreaGroup] = g
			order = append(order, p.AreaGroup)
		}
		var area *ExportArea
		for i := range g.Areas {
			if g.Areas[i].Name == p.Area {
				area = &g.Areas[i]
			}
		}
		if area == nil {
			g.Areas = append(g.Areas, ExportArea{ID: slug(p.Area), Name: p.Area, URN: "accesspackage:area:" + slug(p.Area)})
			area = &g.Areas[len(g.Areas)-1]
		}
		area.Packages = append(area.Packages, ExportPackage{ID: p.Code, Name: p.Label(), URN: p.URN, IsDelegable: p.IsDelegable, IsAssignable: p.IsAssignable})
	}
	out := make([]ExportGroup, 0, len(order))
	for _, n := range order {
		out = append(out, *groups[n])
	}
	return out
}

func slug(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }), "-"))
}
