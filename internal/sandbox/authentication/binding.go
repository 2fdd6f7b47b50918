package authentication

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Model binding the way ASP.NET binds Altinn's request models: C# `required` members missing
// from the JSON fail deserialisation (System.Text.Json), [Required] members that are null or
// blank fail validation; both answer a 400 ValidationProblemDetails with an `errors` map before
// the action runs.

// missingMembers returns the JSON names of top-level members absent from body (names compare
// case-insensitively, as the server's binder does). A body that is not an object reports none:
// decoding reports it instead.
func missingMembers(body []byte, names ...string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return nil
	}
	var missing []string
	for _, n := range names {
		found := false
		for k := range obj {
			found = found || strings.EqualFold(k, n)
		}
		if !found {
			missing = append(missing, n)
		}
	}
	return missing
}

// writeRequiredMembers answers a body lacking C# `required` members: System.Text.Json refuses
// it, and the action parameter is then null.
func (s Base) writeRequiredMembers(w http.ResponseWriter, typeName, param string, missing []string) {
	quoted := make([]string, len(missing))
	for i, m := range missing {
		quoted[i] = "'" + m + "'"
	}
	s.WriteModelErrors(w, map[string][]string{
		"$":   {"JSON deserialization for type '" + typeName + "' was missing required properties including: " + strings.Join(quoted, ", ") + "."},
		param: {"The " + param + " field is required."},
	})
}

// WriteModelErrors is a ValidationProblemDetails with several keys.
func (s Base) WriteModelErrors(w http.ResponseWriter, errs map[string][]string) {
	s.render(w, refusal.ModelErrors(errs))
}

// requiredText is [Required] on a string: null, empty and blank fail.
func requiredText(errs map[string][]string, field, value string) {
	if strings.TrimSpace(value) == "" {
		errs[field] = append(errs[field], "The "+field+" field is required.")
	}
}

// dbColumnFits tells whether a value fits a varchar(n) column: PostgreSQL counts characters.
func dbColumnFits(v string, n int) bool { return utf8.RuneCountInString(v) <= n }

// writeUnhandled is what an exception escaping an Altinn controller gives: the exception handler
// re-executes /authentication/api/v1/error, whose ErrorController returns Problem()
// (src/Authentication/Controllers/ErrorController.cs; Program.cs UseExceptionHandler).
func (s Base) writeUnhandled(w http.ResponseWriter) { s.render(w, refusal.Unhandled()) }

// readAltinnBody is decodeAltinnBody that also returns the raw bytes, for the required-member
// checks.
func (s Base) readAltinnBody(w http.ResponseWriter, r *http.Request, v any) ([]byte, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeModelError(w, "$", "The request body is too large or unreadable.")
		return nil, false
	}
	// ASP.NET's body binder treats an empty body and a JSON null alike: no value, and a
	// required [FromBody] parameter answers 400 with this model error under the empty key.
	if t := strings.TrimSpace(string(data)); t == "" || t == "null" {
		s.writeModelError(w, "", "A non-empty request body is required.")
		return nil, false
	}
	if !utf8.Valid(data) {
		// System.Text.Json refuses invalid UTF-8 before any binding (Go's decoder would
		// silently substitute U+FFFD and store it).
		s.writeModelError(w, "$", "The JSON value could not be converted: the body is not valid UTF-8.")
		return nil, false
	}
	if err := json.Unmarshal(data, v); err != nil {
		s.writeModelError(w, "$", "The JSON value could not be converted: "+err.Error())
		return nil, false
	}
	return data, true
}

// registerSystemRequiredMembers are RegisterSystemRequest's C# `required` members
// (src/Core/Models/SystemRegisters/RegisterSystemRequest.cs:34,51,69,74).
var registerSystemRequiredMembers = []string{"id", "vendor", "name", "description"}

const registerSystemRequestType = "Altinn.Platform.Authentication.Core.SystemRegister.Models.RegisterSystemRequest"

// bindSystemDefinition binds a RegisterSystemRequest, answering 400 for missing members.
func (s Base) bindSystemDefinition(w http.ResponseWriter, r *http.Request, d *altinn.SystemDefinition, param string) bool {
	_, ok := s.bindSystemDefinitionRaw(w, r, d, param)
	return ok
}

// bindSystemDefinitionRaw is bindSystemDefinition that also returns the body.
func (s Base) bindSystemDefinitionRaw(w http.ResponseWriter, r *http.Request, d *altinn.SystemDefinition, param string) ([]byte, bool) {
	data, ok := s.readAltinnBody(w, r, d)
	if !ok {
		return nil, false
	}
	if missing := missingMembers(data, registerSystemRequiredMembers...); len(missing) > 0 {
		s.writeRequiredMembers(w, registerSystemRequestType, param, missing)
		return nil, false
	}
	// On create, "rights": null or "allowedRedirectUrls": null reach a foreach over null in
	// the validation (SystemRegisterService.cs:159, AuthenticationHelper.cs:477), after the
	// vendor-prefix check and before the ownership check; the controller's catch answers 500
	// with the exception's message (SystemRegisterController.cs:323-328).
	if param == "registerNewSystem" && d.Vendor.OrgNo() != "" && len(nullMembers(data, "rights", "allowedRedirectUrls")) > 0 {
		env.WriteText(w, http.StatusInternalServerError, "Object reference not set to an instance of an object.")
		return nil, false
	}
	return data, true
}

// nullMembers returns the JSON names of top-level members present with the value null.
func nullMembers(body []byte, names ...string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return nil
	}
	var out []string
	for _, n := range names {
		for k, v := range obj {
			if strings.EqualFold(k, n) && strings.TrimSpace(string(v)) == "null" {
				out = append(out, n)
			}
		}
	}
	return out
}

// bindRequest applies the request models' binding rules: CreateRequestSystemUser has C#
// `required` systemId and partyOrgNo (src/Core/Models/SystemUsers/CreateRequestSystemUser.cs)
// and [Required] on both; CreateAgentRequestSystemUser has [Required] systemId, partyOrgNo and
// accessPackages (CreateAgentRequestSystemUser.cs:40-50), so a missing list is a 400 here and
// only an empty one reaches AUTH-00058.
func (s Base) bindRequest(w http.ResponseWriter, data []byte, b *requestBody, agent bool) bool {
	if !agent {
		if missing := missingMembers(data, "systemId", "partyOrgNo"); len(missing) > 0 {
			s.writeRequiredMembers(w, "Altinn.Platform.Authentication.Core.Models.SystemUsers.CreateRequestSystemUser", "createRequest", missing)
			return false
		}
	}
	errs := map[string][]string{}
	requiredText(errs, "SystemId", b.SystemID)
	requiredText(errs, "PartyOrgNo", b.PartyOrgNo)
	if agent && b.AccessPackages == nil {
		errs["AccessPackages"] = []string{"The AccessPackages field is required."}
	}
	if len(errs) > 0 {
		s.WriteModelErrors(w, errs)
		return false
	}
	return true
}

// systemKnown reports whether the system register has the id (deleted systems included).
func (s Base) systemKnown(id string) bool {
	known := false
	_ = s.Env.Store.View(func(st *world.State) error {
		known = st.Systems[id] != nil
		return nil
	})
	return known
}

// writeStatusProblem is what an [ApiController] action's bare NotFound(), Unauthorized() or
// BadRequest() becomes: ASP.NET's client-error mapping turns it into RFC 7807 JSON (nothing in
// Altinn's code turns that off). Forbid() and failed policies stay empty.
func (s Base) writeStatusProblem(w http.ResponseWriter, status int) {
	s.render(w, refusal.Status(status))
}

// pathGUID binds the {name} path value as a Guid; anything else is the model-binding 400
// naming the value as sent, answered here (ok false). The value is returned as sent.
func (s Base) pathGUID(w http.ResponseWriter, r *http.Request, name string) (string, bool) {
	v := r.PathValue(name)
	if _, err := uuid.Parse(v); err != nil {
		s.writeModelError(w, name, "The value '"+v+"' is not valid.")
		return "", false
	}
	return v, true
}

// vendorList binds what both vendor request lists take before they read: a caller with no
// organisation is Unauthorized(), an unreadable continuation token a model error. after is
// the id the token names ("" for none).
func (s Base) vendorList(w http.ResponseWriter, r *http.Request, c *env.Caller) (after string, ok bool) {
	if c.OrgNo == "" {
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return "", false
	}
	tok := r.URL.Query().Get("token")
	if after, ok = parseGUIDToken(tok); !ok {
		s.writeModelError(w, "token", "The value '"+tok+"' is not valid.")
	}
	return after, ok
}
