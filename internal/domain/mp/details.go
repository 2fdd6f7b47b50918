package mp

import (
	"encoding/json"
	"slices"
	"sort"
)

// SystemUserDetailFields are the only fields a system-user authorization_details object may
// carry; Maskinporten refuses any other (MP-251, KeyRARFields).
var SystemUserDetailFields = []string{"type", "systemuser_org", "externalRef"}

// DetailItem is one authorization_details object as sent, each field left undecoded so that a
// checker can say which one is wrong.
type DetailItem map[string]json.RawMessage

// ParseDetails reads an authorization_details claim: a non-empty array of objects, or ok false.
func ParseDetails(raw json.RawMessage) (items []DetailItem, ok bool) {
	if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
		return nil, false
	}
	return items, true
}

// Type is the item's type, "" when absent or not a string.
func (d DetailItem) Type() string {
	var typ string
	_ = json.Unmarshal(d["type"], &typ)
	return typ
}

// UnknownFields are the item's fields outside SystemUserDetailFields, sorted.
func (d DetailItem) UnknownFields() []string {
	var extra []string
	for k := range d {
		if !slices.Contains(SystemUserDetailFields, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return extra
}
