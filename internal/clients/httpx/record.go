package httpx

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"
)

// MaxRecordedBody caps each body kept in the record.
const MaxRecordedBody = 64 << 10

// MaxRecordBodies caps all bodies a record keeps together: a long run (a bulk of thousands of
// requests) keeps every exchange, but only the first bodies up to this budget.
const MaxRecordBodies = 32 << 20

// Exchange is one recorded HTTP request and its response, already redacted: Authorization
// values and every JWT are reduced to header and claims (no signature), private key material
// and passwords are replaced, bodies are capped at MaxRecordedBody.
type Exchange struct {
	ID       int           `json:"id"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Method   string        `json:"method"`
	URL      string        `json:"url"`
	Proto    string        `json:"proto"`

	RequestHeaders  http.Header `json:"request_headers"`
	RequestBody     string      `json:"request_body,omitempty"`
	RequestBodySize int64       `json:"request_body_size"`

	Status           int         `json:"status"` // 0 when no response came
	StatusText       string      `json:"status_text,omitempty"`
	ResponseHeaders  http.Header `json:"response_headers,omitempty"`
	ResponseBody     string      `json:"response_body,omitempty"`
	ResponseBodySize int64       `json:"response_body_size"`
	// Truncated is set when a body was longer than MaxRecordedBody.
	Truncated bool `json:"truncated,omitempty"`
	// Err is the transport error, when the exchange failed without a response.
	Err string `json:"error,omitempty"`
	// Done is false while the response body is still being read.
	Done bool `json:"done"`
	// BodiesDropped is set when the record's body budget was spent before this exchange.
	BodiesDropped bool `json:"bodies_dropped,omitempty"`
}

// Record keeps a session's exchanges in order. It is safe for concurrent use.
type Record struct {
	mu   sync.Mutex
	list []*Exchange
	now  func() time.Time
	// bodyBytes is what the kept bodies take, against MaxRecordBodies.
	bodyBytes int
}

// keep reports whether a body of n bytes still fits the budget, and counts it (mu held).
func (r *Record) keep(n int) bool {
	if r.bodyBytes+n > MaxRecordBodies {
		return false
	}
	r.bodyBytes += n
	return true
}

// NewRecord returns an empty record.
func NewRecord() *Record { return &Record{now: time.Now} }

// Len is the number of exchanges so far.
func (r *Record) Len() int {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.list)
}

// Exchanges returns a copy of the exchanges so far, oldest first.
func (r *Record) Exchanges() []Exchange {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Exchange, len(r.list))
	for i, e := range r.list {
		out[i] = *e
		out[i].RequestHeaders = e.RequestHeaders.Clone()
		out[i].ResponseHeaders = e.ResponseHeaders.Clone()
	}
	return out
}

// start records a request about to be sent and returns its entry.
func (r *Record) start(req *http.Request, body []byte, bodySize int64) *Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	ct := req.Header.Get("Content-Type")
	e := &Exchange{
		ID: len(r.list) + 1, Started: r.now(), Method: req.Method, URL: RedactText(req.URL.String()),
		Proto: req.Proto, RequestHeaders: RedactHeaders(req.Header), RequestBodySize: bodySize,
	}
	if e.Proto == "" {
		e.Proto = "HTTP/1.1"
	}
	e.RequestBody, e.Truncated = RedactBody(ct, body)
	if !r.keep(len(e.RequestBody)) {
		e.RequestBody, e.BodiesDropped = "", true
	}
	r.list = append(r.list, e)
	return e
}

func (r *Record) fail(e *Exchange, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Duration = r.now().Sub(e.Started)
	e.Err = RedactText(err.Error())
	e.Done = true
}

func (r *Record) respond(e *Exchange, resp *http.Response) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Duration = r.now().Sub(e.Started)
	e.Status = resp.StatusCode
	e.StatusText = http.StatusText(resp.StatusCode)
	e.ResponseHeaders = RedactHeaders(resp.Header)
	if resp.Proto != "" {
		e.Proto = resp.Proto
	}
}

func (r *Record) finish(e *Exchange, ct string, body []byte, size int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var trunc bool
	e.ResponseBody, trunc = RedactBody(ct, body)
	e.Truncated = e.Truncated || trunc
	if e.BodiesDropped || !r.keep(len(e.ResponseBody)) {
		e.ResponseBody, e.BodiesDropped = "", true
	}
	e.ResponseBodySize = size
	e.Done = true
}

// recordingBody copies what the client reads (up to the cap) into the record, which takes
// the body when it is read to the end or closed.
type recordingBody struct {
	rc   io.ReadCloser
	rec  *Record
	ex   *Exchange
	ct   string
	buf  bytes.Buffer
	size int64
	once sync.Once
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.size += int64(n)
		if room := MaxRecordedBody + 1 - b.buf.Len(); room > 0 {
			b.buf.Write(p[:min(n, room)])
		}
	}
	if err == io.EOF {
		b.done()
	}
	return n, err
}

func (b *recordingBody) Close() error {
	b.done()
	return b.rc.Close()
}

func (b *recordingBody) done() {
	b.once.Do(func() { b.rec.finish(b.ex, b.ct, b.buf.Bytes(), b.size) })
}

// requestBody reads a copy of the request body without consuming the one sent.
func requestBody(req *http.Request) (*http.Request, []byte, int64) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil, 0
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err == nil {
			defer rc.Close()
			data, _ := io.ReadAll(io.LimitReader(rc, MaxRecordedBody+1))
			return req, data, max(req.ContentLength, int64(len(data)))
		}
	}
	data, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return clone, nil, 0
	}
	return clone, data, int64(len(data))
}
