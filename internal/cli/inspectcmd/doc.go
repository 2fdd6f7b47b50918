// Package inspectcmd is the CLI's tokens and codes: getting a token or a grant (token, grant),
// decoding and checking one (inspect, with its paste box on a terminal), and explaining error
// codes and bodies (explain).
package inspectcmd
