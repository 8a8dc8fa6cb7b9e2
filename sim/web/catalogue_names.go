package web

// titles are plain names of the ready scenarios and what-ifs, as the page
// lists them; a scenario not named here is listed by its own name.
var titles = map[string]string{
	"historical-1929":     "What happened, 1929–1930",
	"voluntary":           "Persuasion only: no targets, no force",
	"coercive-no-halt":    "Force, and no halt",
	"ussr-fullscale":      "What happened, at full size",
	"early-halt":          "The halt called early (15 January 1930)",
	"honest-reporting":    "Cadres report the truth",
	"local-cadres":        "No cadres from the towns",
	"no-cadre-punishment": "No punishment of cadres",
	"no-dekulakization":   "No arrests or deportations of kulaks",
	"private-plots":       "Private plots from the start",
	"no-halt":             "Force, and no halt",
}
