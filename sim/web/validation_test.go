package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormValidation: every bad value of every form field is answered with
// a 4xx JSON error that names the field, never a 500.
func TestFormValidation(t *testing.T) {
	hs := newServer(t, Config{})
	hist := "historical-1929.toml"
	tests := []struct {
		name  string
		form  string // the body, URL-encoded
		field string // the field the error must name
	}{
		{"missing scenario", "households=5000", "scenario"},
		{"empty scenario", "scenario=", "scenario"},
		{"unknown scenario", "scenario=nowhere.toml", "scenario"},
		{"scenario outside the folder", "scenario=../go.mod", "scenario"},
		{"base without phases", "scenario=base/ussr-1929.toml", "scenario"},
		{"unknown field", "scenario=" + hist + "&frobnicate=1", "frobnicate"},
		{"field twice", "scenario=" + hist + "&households=5000&households=6000", "households"},

		{"households empty", "scenario=" + hist + "&households=", "households"},
		{"households not a number", "scenario=" + hist + "&households=many", "households"},
		{"households fractional", "scenario=" + hist + "&households=5000.5", "households"},
		{"households zero", "scenario=" + hist + "&households=0", "households"},
		{"households negative", "scenario=" + hist + "&households=-5", "households"},
		{"households too few", "scenario=" + hist + "&households=999", "households"},
		{"households oversized", "scenario=" + hist + "&households=200001", "households"},
		{"households huge", "scenario=" + hist + "&households=99999999999999999999", "households"},

		{"seed empty", "scenario=" + hist + "&seed=", "seed"},
		{"seed not a number", "scenario=" + hist + "&seed=abc", "seed"},
		{"seed negative", "scenario=" + hist + "&seed=-1", "seed"},
		{"seed fractional", "scenario=" + hist + "&seed=1.5", "seed"},
		{"seed too large", "scenario=" + hist + "&seed=9007199254740992", "seed"},

		{"halt date empty", "scenario=" + hist + "&halt_date=", "halt_date"},
		{"halt date not a date", "scenario=" + hist + "&halt_date=soon", "halt_date"},
		{"halt date impossible", "scenario=" + hist + "&halt_date=1930-13-45", "halt_date"},
		{"halt date other format", "scenario=" + hist + "&halt_date=02.03.1930", "halt_date"},
		{"halt date before the run", "scenario=" + hist + "&halt_date=1929-01-01", "halt_date"},
		{"halt date before dekulakization", "scenario=" + hist + "&halt_date=1930-01-05", "halt_date"},
		{"halt date too late", "scenario=" + hist + "&halt_date=1930-09-10", "halt_date"},
		{"halt date after the run", "scenario=" + hist + "&halt_date=1932-01-01", "halt_date"},
		{"halt date without a halt", "scenario=voluntary.toml&halt_date=1930-03-02", "halt_date"},

		{"punishment empty", "scenario=" + hist + "&punishment=", "punishment"},
		{"punishment not a number", "scenario=" + hist + "&punishment=harsh", "punishment"},
		{"punishment above 1", "scenario=" + hist + "&punishment=1.5", "punishment"},
		{"punishment negative", "scenario=" + hist + "&punishment=-0.1", "punishment"},
		{"punishment NaN", "scenario=" + hist + "&punishment=NaN", "punishment"},
		{"punishment infinite", "scenario=" + hist + "&punishment=Inf", "punishment"},
		{"punishment without targets", "scenario=voluntary.toml&punishment=0.5", "punishment"},

		{"honest reporting empty", "scenario=" + hist + "&honest_reporting=", "honest_reporting"},
		{"honest reporting not a boolean", "scenario=" + hist + "&honest_reporting=maybe", "honest_reporting"},

		{"urban cadres not a number", "scenario=" + hist + "&urban_cadres=many", "urban_cadres"},
		{"urban cadres above 1", "scenario=" + hist + "&urban_cadres=2", "urban_cadres"},
		{"urban cadres negative", "scenario=" + hist + "&urban_cadres=-0.5", "urban_cadres"},

		{"private plots not a boolean", "scenario=" + hist + "&private_plots=yes", "private_plots"},
		{"private plots empty", "scenario=" + hist + "&private_plots=", "private_plots"},

		{"cadre zeal not a number", "scenario=" + hist + "&cadre_zeal=high", "cadre_zeal"},
		{"cadre zeal too high", "scenario=" + hist + "&cadre_zeal=3.5", "cadre_zeal"},
		{"cadre zeal negative", "scenario=" + hist + "&cadre_zeal=-1", "cadre_zeal"},

		{"escalation not a boolean", "scenario=" + hist + "&escalation=2", "escalation"},
		{"escalation empty", "scenario=" + hist + "&escalation=", "escalation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(hs.URL+"/api/runs", "application/x-www-form-urlencoded", strings.NewReader(tt.form))
			if err != nil {
				t.Fatal(err)
			}
			code, _, e := decode(t, resp)
			if code < 400 || code >= 500 {
				t.Fatalf("%s: %d, want 4xx", tt.form, code)
			}
			if e.Fields[tt.field] == "" || !strings.Contains(e.Error, tt.field) {
				t.Errorf("%s: the error does not name %s: %+v", tt.form, tt.field, e)
			}
		})
	}
}

// TestRequestValidation: bad requests and query parameters get a 4xx JSON
// error, never a 500.
func TestRequestValidation(t *testing.T) {
	hs := newServer(t, Config{})
	v := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}})
	unknown := strings.Repeat("ab", 16)
	tests := []struct {
		method, path, ctype, body string
		code                      int
		field                     string // "" if the error names none
	}{
		{"POST", "/api/runs", "application/json", `{"scenario":"historical-1929.toml"}`, 415, ""},
		{"POST", "/api/runs", "application/x-www-form-urlencoded", "scenario=" + strings.Repeat("x", 20000), 413, ""},
		{"POST", "/api/runs", "application/x-www-form-urlencoded", "scenario=%zz", 400, ""},
		{"POST", "/api/runs?seed=3", "application/x-www-form-urlencoded", "scenario=historical-1929.toml", 400, "seed"},
		{"GET", "/api/scenarios?x=1", "", "", 400, "x"},
		{"GET", "/?debug=1", "", "", 400, "debug"},
		{"GET", "/api/runs/not-an-id", "", "", 400, "id"},
		{"GET", "/api/runs/" + strings.ToUpper(v.ID), "", "", 400, "id"},
		{"GET", "/api/runs/" + unknown, "", "", 404, "id"},
		{"GET", "/api/runs/" + v.ID + "?verbose=1", "", "", 400, "verbose"},
		{"POST", "/api/runs/" + unknown + "/cancel", "", "", 404, "id"},
		{"GET", "/api/runs/" + unknown + "/timeseries.csv", "", "", 404, "id"},
		{"GET", "/api/runs/x/scenario.toml", "", "", 400, "id"},
		{"GET", "/api/runs/" + v.ID + "/timeseries.csv?region=Moscow", "", "", 400, "region"},
		{"GET", "/api/runs/" + v.ID + "/charts/pie.svg", "", "", 404, "chart"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.png", "", "", 404, "chart"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?vs=zzz", "", "", 400, "vs"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?vs=" + unknown, "", "", 404, "vs"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?vs=" + v.ID + "&vs=" + v.ID, "", "", 400, "vs"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?label=mine", "", "", 400, "label"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?colour=x", "", "", 400, "colour"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?vscolour=-1", "", "", 400, "vscolour"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?name=", "", "", 400, "name"},
		{"GET", "/api/runs/" + v.ID + "/charts/shares.svg?width=9", "", "", 400, "width"},
		{"GET", "/api/nothing", "", "", 404, ""},
		{"DELETE", "/api/runs/" + v.ID, "", "", 405, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, hs.URL+tt.path, strings.NewReader(tt.body))
		if tt.ctype != "" {
			req.Header.Set("Content-Type", tt.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		code, _, e := decode(t, resp)
		if code != tt.code {
			t.Errorf("%s %s: %d, want %d (%+v)", tt.method, tt.path, code, tt.code, e)
		}
		if e.Error == "" || tt.field != "" && e.Fields[tt.field] == "" {
			t.Errorf("%s %s: the error does not name %q: %+v", tt.method, tt.path, tt.field, e)
		}
	}
}
