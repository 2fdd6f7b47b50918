package tokeninspect

import "testing"

func BenchmarkDecodeAndAnalyze(b *testing.B) {
	tok := jwt(`{"kid":"bdXLEWnDjLHjpE8OfyyMJxRRKmZ71LB8u1yDDmPiuT0","alg":"RS256"}`,
		`{"scope":"skatteetaten:innrapporteringboligselskap","iss":"https://test.maskinporten.no/","client_amr":"private_key_jwt","token_type":"Bearer","exp":1800000112,"iat":1799999992,"client_id":"fc9a8287-1c3b-4a4f-9a8e-2f1c9d7e6a11","jti":"Yt8om1bMA3ruxDcWju8O0IcRv6vwok0bYKHCFtJkkIw","consumer":{"authority":"iso6523-actorid-upis","ID":"0192:974761076"},"authorization_details":[{"type":"urn:altinn:systemuser","systemuser_id":["a5f1e2c4-0000-4000-8000-000000000001"],"systemuser_org":{"authority":"iso6523-actorid-upis","ID":"0192:313367002"},"system_id":"974761076_demo"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		d, err := Decode(tok)
		if err != nil {
			b.Fatal(err)
		}
		_ = Analyze(d, now, nil)
	}
}
