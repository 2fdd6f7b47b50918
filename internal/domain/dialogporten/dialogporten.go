// Package dialogporten holds the wire shapes of Dialogporten's end-user dialog search, as
// Altinn/dialogporten's docs/schema/V1/openapi.v1.enduser.verified.json (743f07f) defines them:
// GET {platform}dialogporten/api/v1/enduser/dialogs → PaginatedListOfDialogListItem. The
// sandbox serves them and the client reads them.
package dialogporten

import "time"

// Scope is the end-user API's scope (DialogListItem search needs it, or digdir:dialogporten.noconsent).
const Scope = "digdir:dialogporten"

// SearchPath is the dialog search, relative to Dialogporten's base (…/dialogporten/).
const SearchPath = "api/v1/enduser/dialogs"

// PartyOrgPrefix turns an organisation number into Dialogporten's party identifier.
const PartyOrgPrefix = "urn:altinn:organization:identifier-no:"

// Dialog statuses (DialogStatus).
const (
	StatusInProgress        = "InProgress"
	StatusRequiresAttention = "RequiresAttention"
	StatusCompleted         = "Completed"
)

// List is PaginatedListOfDialogListItem.
type List struct {
	Items             []Item  `json:"items"`
	HasNextPage       bool    `json:"hasNextPage"`
	ContinuationToken *string `json:"continuationToken"`
	OrderBy           string  `json:"orderBy"`
}

// Item is DialogListItem (the fields the sandbox serves; the rest are optional).
type Item struct {
	ID                                 string          `json:"id"`
	Org                                string          `json:"org"`
	ServiceResource                    string          `json:"serviceResource"`
	ServiceResourceType                string          `json:"serviceResourceType"`
	Party                              string          `json:"party"`
	Progress                           *int            `json:"progress,omitempty"`
	ExtendedStatus                     *string         `json:"extendedStatus,omitempty"`
	ExternalReference                  *string         `json:"externalReference,omitempty"`
	GuiAttachmentCount                 *int            `json:"guiAttachmentCount,omitempty"`
	FromServiceOwnerTransmissionsCount int             `json:"fromServiceOwnerTransmissionsCount"`
	FromPartyTransmissionsCount        int             `json:"fromPartyTransmissionsCount"`
	Status                             string          `json:"status"`
	CreatedAt                          time.Time       `json:"createdAt"`
	UpdatedAt                          time.Time       `json:"updatedAt"`
	ContentUpdatedAt                   time.Time       `json:"contentUpdatedAt"`
	DueAt                              *time.Time      `json:"dueAt,omitempty"`
	IsApiOnly                          bool            `json:"isApiOnly"`
	IsContentSeen                      bool            `json:"isContentSeen"`
	HasUnopenedContent                 bool            `json:"hasUnopenedContent"`
	SystemLabel                        string          `json:"systemLabel"`
	EndUserContext                     *EndUserContext `json:"endUserContext,omitempty"`
	Content                            *Content        `json:"content,omitempty"`
}

// EndUserContext is DialogEndUserContextListItem.
type EndUserContext struct {
	Revision     string   `json:"revision"`
	SystemLabels []string `json:"systemLabels"`
}

// Content is DialogContentSummary.
type Content struct {
	Title      ContentValue  `json:"title"`
	Summary    *ContentValue `json:"summary,omitempty"`
	SenderName *ContentValue `json:"senderName,omitempty"`
}

// ContentValue is a localized text.
type ContentValue struct {
	Value     []Localization `json:"value"`
	MediaType string         `json:"mediaType"`
}

// Localization is one language's text.
type Localization struct {
	Value        string `json:"value"`
	LanguageCode string `json:"languageCode"`
}

// Text is the value in lang, else the first one.
func (c ContentValue) Text(lang string) string {
	for _, l := range c.Value {
		if l.LanguageCode == lang {
			return l.Value
		}
	}
	if len(c.Value) > 0 {
		return c.Value[0].Value
	}
	return ""
}

// Problem is the ProblemDetails / ValidationProblemDetails body Dialogporten writes
// (ErrorResponseBuilderExtensions.cs).
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   map[string][]string `json:"errors,omitempty"`
	TraceID  string              `json:"traceId,omitempty"`
}
