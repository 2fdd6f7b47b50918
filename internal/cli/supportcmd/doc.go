// Package supportcmd is `sbs-tui support`: a report of the session to attach to a ticket.
package supportcmd
