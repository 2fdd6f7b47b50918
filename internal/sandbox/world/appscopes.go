package world

import "slices"

// AppClientScopes are the scopes a real vendor's Maskinporten client carries besides the
// onboarding ones, because every Altinn-app or platform integration asks for them: instances
// (Altinn apps: Wenche's login asks for "altinn:instances.read altinn:instances.write"),
// correspondence (the Altinn guide pairs it with digdir:dialogporten, AS-dp) and authorized
// parties (the vendor-side client list, AS-am). Real Maskinporten grants them the way it grants
// any scope: the API owner opens the scope to the organisation and the client registers it;
// the sandbox's seeded vendor client is registered with them on first start. They are not in
// the profile's scope list, so the wizard and doctor still check only the onboarding scopes.
var AppClientScopes = []string{
	"altinn:instances.read",
	"altinn:instances.write",
	"altinn:correspondence.read",
	"altinn:accessmanagement/authorizedparties",
}

// vendorClientScopes are the scopes the seeded vendor client is registered with.
func vendorClientScopes() []string {
	return append(append([]string(nil), VendorScopes...), AppClientScopes...)
}

// lacksAppScopes reports a sandbox seeded before AppClientScopes were: its vendor client has
// none of them (a vendor who removed some through the self-service API keeps that choice).
func lacksAppScopes(st *State) bool {
	if st.Bootstrap == nil || st.Clients[st.Bootstrap.ClientID] == nil {
		return false
	}
	for _, sc := range AppClientScopes {
		if slices.Contains(st.Clients[st.Bootstrap.ClientID].Scopes, sc) {
			return false
		}
	}
	return true
}

// grantAppScopes registers AppClientScopes (and the documented scopes) on such a sandbox's
// vendor client.
func grantAppScopes(st *State) {
	if lacksAppScopes(st) {
		seedDocumented(st)
		c := st.Clients[st.Bootstrap.ClientID]
		c.Scopes = append(c.Scopes, AppClientScopes...)
	}
}
