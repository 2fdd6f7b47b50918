package sandbox

import (
	"errors"
	"fmt"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"slices"
	"sort"
	"strings"
)

// The Resource Registry and the scope registry, managed from the command line
// (`sbs-tui sandbox resource|scope add|list|remove`) so that a vendor's real resource ids and
// scopes work in the sandbox without editing its state.

// AddResources adds resources of type typ with an optional title; existing ones are kept
// (with the new title when one is given) and reported with Added false.
func (s *Sandbox) AddResources(ids []string, title, typ string) ([]world.ResourceInfo, error) {
	if typ == "" {
		typ = "GenericAccessResource"
	}
	if !slices.Contains(world.ResourceTypes(), typ) {
		return nil, fmt.Errorf("resource type %q: use one of %s", typ, strings.Join(world.ResourceTypes(), ", "))
	}
	if len(ids) == 0 {
		return nil, errors.New("name at least one resource id")
	}
	for _, id := range ids {
		if err := world.ValidateResourceID(id); err != nil {
			return nil, err
		}
	}
	var out []world.ResourceInfo
	err := s.Store.Update(func(st *world.State) error {
		if st.ResourceTitles == nil {
			st.ResourceTitles = map[string]string{}
		}
		for _, id := range ids {
			_, exists := st.Resources[id]
			if !exists {
				st.Resources[id] = typ
				st.Touch(&st.Resources, id)
			}
			if title != "" {
				st.ResourceTitles[id] = title
				st.Touch(&st.ResourceTitles, id)
			}
			out = append(out, world.ResourceInfo{ID: id, Title: st.ResourceTitles[id], Type: st.Resources[id], Added: !exists})
		}
		return nil
	})
	return out, err
}

// ListResources returns the Resource Registry, sorted by id.
func (s *Sandbox) ListResources() ([]world.ResourceInfo, error) {
	var out []world.ResourceInfo
	err := s.Store.View(func(st *world.State) error {
		for id, typ := range st.Resources {
			out = append(out, world.ResourceInfo{ID: id, Title: st.ResourceTitles[id], Type: typ})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// RemoveResources removes resources; if any is missing nothing is removed.
func (s *Sandbox) RemoveResources(ids []string) error {
	return s.Store.Update(func(st *world.State) error {
		var missing []string
		for _, id := range ids {
			if _, ok := st.Resources[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("not in the sandbox's Resource Registry: %s (see `sbs-tui sandbox resource list`)", strings.Join(missing, ", "))
		}
		for _, id := range ids {
			delete(st.Resources, id)
			delete(st.ResourceTitles, id)
			st.Touch(&st.Resources, id)
			st.Touch(&st.ResourceTitles, id)
		}
		return nil
	})
}

// AddScopes adds Maskinporten scopes open to every organisation; existing ones are kept as
// they are and reported with Added false.
func (s *Sandbox) AddScopes(names []string, delegable bool) ([]world.ScopeInfo, error) {
	if len(names) == 0 {
		return nil, errors.New("name at least one scope")
	}
	for _, n := range names {
		if err := world.ValidateScopeName(n); err != nil {
			return nil, err
		}
	}
	var out []world.ScopeInfo
	err := s.Store.Update(func(st *world.State) error {
		for _, n := range names {
			sc, exists := st.Scopes[n]
			if !exists {
				sc = &world.Scope{Name: n, IntegrationTypes: []string{"maskinporten"}, AccessAll: true, Delegable: delegable}
				st.Scopes[n] = sc
				st.Touch(&st.Scopes, n)
			}
			out = append(out, world.NewScopeInfo(sc, !exists))
		}
		return nil
	})
	return out, err
}

// ListScopes returns the scope registry, sorted by name.
func (s *Sandbox) ListScopes() ([]world.ScopeInfo, error) {
	var out []world.ScopeInfo
	err := s.Store.View(func(st *world.State) error {
		for _, sc := range st.Scopes {
			out = append(out, world.NewScopeInfo(sc, false))
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// RemoveScopes removes scopes from the registry and from every client holding them; if any
// is missing nothing is removed.
func (s *Sandbox) RemoveScopes(names []string) error {
	return s.Store.Update(func(st *world.State) error {
		var missing []string
		for _, n := range names {
			if _, ok := st.Scopes[n]; !ok {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("not in the sandbox's scope registry: %s (see `sbs-tui sandbox scope list`)", strings.Join(missing, ", "))
		}
		for _, n := range names {
			delete(st.Scopes, n)
			st.Touch(&st.Scopes, n)
			for id, c := range st.Clients {
				if slices.Contains(c.Scopes, n) {
					c.Scopes = slices.DeleteFunc(c.Scopes, func(sc string) bool { return sc == n })
					st.Touch(&st.Clients, id)
				}
			}
		}
		return nil
	})
}
