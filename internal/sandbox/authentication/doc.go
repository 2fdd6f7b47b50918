// Package authentication emulates Altinn's authentication component: the system register
// (systems, their rights and access packages, the change log), system-user requests and
// change requests, system users, client delegation for agent system users, and the token
// exchange with its OpenID metadata and JWKS. Its errors are Altinn's ProblemDetails with the
// real AUTH-… and AUTH.VLD-… codes. The customer's approval pages (package sandbox) decide
// requests through RequestsHost.Decide and ChangeRequestsHost.DecideChange.
package authentication
