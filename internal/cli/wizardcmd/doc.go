// Package wizardcmd is the wizard: `sbs-tui wizard`, also sbs-tui with no command, drawn as a
// terminal UI (optionally recorded as an asciicast) or run as line prompts.
package wizardcmd
