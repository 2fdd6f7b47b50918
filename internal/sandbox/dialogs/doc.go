// Package dialogs emulates Dialogporten on the Altinn platform host: the dialogs a system
// user may see and create for its customers.
package dialogs
