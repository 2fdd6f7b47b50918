// Package approval emulates the customer's side of Altinn: the HTML pages on which a
// customer approves or rejects a system-user request or a change request (with CSRF
// protection); the decision goes through package authentication's hosts.
package approval
