// Package requestcmd is steps 5–6 of the CLI: asking customers for system users (request,
// request bulk, request change), following them (request status, board) and listing the
// system users that result (users).
package requestcmd
