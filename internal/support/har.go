// Package support turns a session's HTTP record into what a service desk needs: a HAR 1.2
// file (for browser developer tools and HTTP clients) and a Markdown report with every
// failure explained and every exchange as a curl command. Everything here works on the
// record httpx already redacted; nothing here sees a key, a password or a usable token.
package support

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
)

// HAR is the HTTP Archive 1.2 document (http://www.softwareishard.com/blog/har-12-spec/).
type HAR struct {
	Log HARLog `json:"log"`
}

// HARLog is the archive's root. Facts is sbs-tui's own field (custom fields start with _).
type HARLog struct {
	Version string     `json:"version"`
	Creator HARCreator `json:"creator"`
	Entries []HAREntry `json:"entries"`
	Comment string     `json:"comment,omitempty"`
	Facts   *Facts     `json:"_sbsTui,omitempty"`
}

// HARCreator names the tool.
type HARCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// HAREntry is one exchange.
type HAREntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         HARRequest  `json:"request"`
	Response        HARResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         HARTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
	// sbs-tui's fields: the server's error code and trace id, a transport error.
	Code      string `json:"_code,omitempty"`
	TraceID   string `json:"_traceId,omitempty"`
	Error     string `json:"_error,omitempty"`
	Truncated bool   `json:"_truncated,omitempty"`
}

// HARRequest is the request half.
type HARRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARNameValue `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	QueryString []HARNameValue `json:"queryString"`
	PostData    *HARPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int64          `json:"bodySize"`
}

// HARResponse is the response half.
type HARResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARNameValue `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	Content     HARContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int64          `json:"bodySize"`
}

// HARNameValue is a header, cookie or query parameter.
type HARNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HARPostData is a request body.
type HARPostData struct {
	MimeType string         `json:"mimeType"`
	Text     string         `json:"text"`
	Params   []HARNameValue `json:"params,omitempty"`
}

// HARContent is a response body.
type HARContent struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
}

// HARTimings are the phases; only wait is known (-1: not applicable).
type HARTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

func headerList(h http.Header) []HARNameValue {
	out := []HARNameValue{}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			out = append(out, HARNameValue{Name: k, Value: v})
		}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// NewHAR builds the archive of a record.
func NewHAR(facts *Facts, exchanges []httpx.Exchange) *HAR {
	h := &HAR{Log: HARLog{Version: "1.2", Creator: HARCreator{Name: "sbs-tui", Version: ToolVersion()}, Entries: []HAREntry{}, Facts: facts,
		Comment: "Recorded by sbs-tui. Redacted: Authorization values and tokens keep header and claims only (signature removed); no private key or password is recorded; bodies are capped at 64 KiB."}}
	for _, e := range exchanges {
		o := Describe(e)
		entry := HAREntry{
			StartedDateTime: e.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
			Time:            ms(e.Duration),
			Code:            o.Code, TraceID: o.TraceID, Error: e.Err, Truncated: e.Truncated,
			Timings: HARTimings{Send: 0, Wait: ms(e.Duration), Receive: 0},
		}
		req := HARRequest{Method: e.Method, URL: e.URL, HTTPVersion: e.Proto, Cookies: []HARNameValue{},
			Headers: headerList(e.RequestHeaders), QueryString: []HARNameValue{}, HeadersSize: -1, BodySize: e.RequestBodySize}
		if u, err := url.Parse(e.URL); err == nil {
			q := u.Query()
			for _, k := range slices.Sorted(maps.Keys(q)) {
				for _, v := range q[k] {
					req.QueryString = append(req.QueryString, HARNameValue{Name: k, Value: v})
				}
			}
		}
		if e.RequestBody != "" || e.RequestBodySize > 0 {
			req.PostData = &HARPostData{MimeType: e.RequestHeaders.Get("Content-Type"), Text: e.RequestBody}
		}
		entry.Request = req
		resp := HARResponse{Status: e.Status, StatusText: e.StatusText, HTTPVersion: e.Proto, Cookies: []HARNameValue{},
			Headers: headerList(e.ResponseHeaders), RedirectURL: e.ResponseHeaders.Get("Location"), HeadersSize: -1, BodySize: e.ResponseBodySize,
			Content: HARContent{Size: e.ResponseBodySize, MimeType: e.ResponseHeaders.Get("Content-Type"), Text: e.ResponseBody}}
		if e.Err != "" {
			resp.BodySize = -1
			entry.Comment = "no response: " + e.Err
		}
		if e.BodiesDropped {
			entry.Comment = "bodies not kept: the session's record had spent its budget for bodies"
		}
		if resp.Content.MimeType == "" {
			resp.Content.MimeType = "x-unknown"
		}
		entry.Response = resp
		h.Log.Entries = append(h.Log.Entries, entry)
	}
	return h
}

// WriteHAR writes the archive as indented JSON.
func WriteHAR(w io.Writer, h *HAR) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(h)
}

// MaxHARSize caps a HAR file read back.
const MaxHARSize = 32 << 20

// ReadHAR reads an archive and returns its facts (if sbs-tui wrote it) and its exchanges.
func ReadHAR(r io.Reader) (*Facts, []httpx.Exchange, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxHARSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read the HAR file: %w", err)
	}
	if len(data) > MaxHARSize {
		return nil, nil, fmt.Errorf("the HAR file is larger than %d MiB", MaxHARSize>>20)
	}
	var h HAR
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, nil, fmt.Errorf("not a HAR file: %v", err)
	}
	if h.Log.Version == "" {
		return nil, nil, fmt.Errorf("not a HAR file: no log.version")
	}
	var out []httpx.Exchange
	for i, e := range h.Log.Entries {
		started, _ := time.Parse(time.RFC3339Nano, e.StartedDateTime)
		ex := httpx.Exchange{
			ID: i + 1, Started: started, Duration: time.Duration(e.Time * float64(time.Millisecond)),
			Method: e.Request.Method, URL: httpx.RedactText(e.Request.URL), Proto: e.Request.HTTPVersion,
			RequestHeaders: http.Header{}, ResponseHeaders: http.Header{}, RequestBodySize: e.Request.BodySize,
			Status: e.Response.Status, StatusText: e.Response.StatusText, ResponseBodySize: e.Response.Content.Size,
			Err: e.Error, Truncated: e.Truncated, Done: true,
		}
		for _, hv := range e.Request.Headers {
			ex.RequestHeaders.Add(hv.Name, hv.Value)
		}
		for _, hv := range e.Response.Headers {
			ex.ResponseHeaders.Add(hv.Name, hv.Value)
		}
		// A HAR from another tool may hold secrets: redact it the same way on the way in.
		ex.RequestHeaders = httpx.RedactHeaders(ex.RequestHeaders)
		ex.ResponseHeaders = httpx.RedactHeaders(ex.ResponseHeaders)
		if e.Request.PostData != nil {
			ex.RequestBody, _ = httpx.RedactBody(e.Request.PostData.MimeType, []byte(e.Request.PostData.Text))
		}
		ex.ResponseBody, _ = httpx.RedactBody(e.Response.Content.MimeType, []byte(e.Response.Content.Text))
		out = append(out, ex)
	}
	return h.Log.Facts, out, nil
}

// hostOf is the URL's scheme and host.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.TrimSuffix(u.Path, "/")
}
