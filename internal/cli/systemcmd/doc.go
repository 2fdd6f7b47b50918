// Package systemcmd is `sbs-tui system`: Altinn's system register (step 4).
package systemcmd
