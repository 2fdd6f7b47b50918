// Package doctorcmd is steps 1–3 of the CLI: the checks of configuration, key, Maskinporten
// and scopes (doctor), and a key pair for the client (keygen).
package doctorcmd
