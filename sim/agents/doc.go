// Package agents holds the model's actors and their rules: the peasant
// Household, the village Cadre and the central Authority.
//
// Every rule here is a pure function of the agent's state, what it can see
// (an Env, a Directive, reports), its parameters and a random stream passed in
// by the caller. Nothing here starts a goroutine, reads a clock or touches a
// shared generator, so a rule can be tested alone and the engine can run
// villages in any order on any number of workers with the same result.
//
// docs/MODEL.md describes each rule with its equation and the source of every
// parameter.
package agents
