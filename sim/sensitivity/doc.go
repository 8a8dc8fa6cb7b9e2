// Package sensitivity measures how much each input of a model moves an
// output: Morris elementary effects for cheap screening (Morris 1991, with
// μ* of Campolongo et al. 2007) and Sobol variance-based indices, first
// order and total, from a Saltelli design (Saltelli et al. 2010, with the
// Jansen 1999 estimator of the total index) with bootstrap intervals.
//
// Designs are in the unit cube [0, 1]^k; mapping a coordinate to a
// parameter's value (its quantile) is the caller's. The functions here are
// pure: a design, the model's outputs at its points, and an explicit random
// source where one is needed.
package sensitivity
