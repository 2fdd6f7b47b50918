package dialogporten

import (
	"errors"
	"strings"
	"testing"
)

func TestParseListRefusalsAndHostileBodies(t *testing.T) {
	var e *Error
	// A policy 403 has no body; a user-type 403 has problem details naming Type.
	if _, err := ParseList(403, nil); !errors.As(err, &e) || e.Problem != nil || !strings.Contains(err.Error(), "digdir:dialogporten") {
		t.Fatalf("bare 403: %v", err)
	}
	body := `{"type":"https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3","title":"Forbidden.","status":403,"errors":{"Type":["The request was authenticated, but … \u001b[31mred"]}}`
	_, err := ParseList(403, []byte(body))
	if !errors.As(err, &e) || e.Problem == nil || !strings.Contains(err.Error(), "only for a system user") || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("user-type 403: %q", err)
	}
	if _, err := ParseList(401, []byte("<html>")); !errors.As(err, &e) || e.Problem != nil {
		t.Fatalf("401: %v", err)
	}
	if _, err := ParseList(200, []byte(`{"items":`)); err == nil || errors.As(err, &e) {
		t.Fatalf("truncated 200: %v", err)
	}
	l, err := ParseList(200, []byte(`{"items":[{"id":"x","status":"InProgress","serviceResource":"urn:altinn:resource:r\u001b]0;t\u0007","content":{"title":{"value":[{"value":"Hei","languageCode":"nb"}]}}}],"hasNextPage":false,"continuationToken":null}`))
	if err != nil || len(l.Items) != 1 {
		t.Fatal(err)
	}
	if s := Summary(l); len(s) != 1 || strings.ContainsAny(s[0], "\x1b\x07") || !strings.HasPrefix(s[0], "InProgress · Hei (r") {
		t.Fatalf("summary: %q", s)
	}
	if !IsSearchURL(SearchURL(Base("https://platform.tt02.altinn.no/"), "313367002")) || IsSearchURL("https://x/api/v1/enduser/dialogs") {
		t.Fatal("IsSearchURL")
	}
	if got := SearchURL(Base("https://platform.tt02.altinn.no"), "313367002"); got != "https://platform.tt02.altinn.no/dialogporten/api/v1/enduser/dialogs?party=urn%3Aaltinn%3Aorganization%3Aidentifier-no%3A313367002" {
		t.Fatalf("SearchURL: %s", got)
	}
}
