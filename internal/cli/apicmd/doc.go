// Package apicmd is step 8 of the CLI: calling APIs with a system user (call) and the
// clients an agent system user acts for (clients).
package apicmd
