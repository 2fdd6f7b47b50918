// Package maskinporten emulates Digdir's Maskinporten: the well-known metadata, the JWKS, and
// the token endpoint, which checks a JWT-bearer grant in the order the real one does and
// answers with its error codes (MP-…), then mints the access token (with system-user and
// consumer-org authorisations).
package maskinporten
