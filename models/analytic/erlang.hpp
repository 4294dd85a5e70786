#pragma once
// Erlang's loss (B) and delay (C) formulas for c parallel servers fed by Poisson arrivals.
//
// Offered load a = λ·E[S] in erlangs. Erlang B is insensitive: it holds for M/G/c/c with any
// service law of that mean. Erlang C assumes exponential service (M/M/c).
//
// Source: A. K. Erlang (1917); the recursion is the standard one (e.g. Gross & Harris,
// "Fundamentals of Queueing Theory"), which only adds and divides positive numbers and so is
// stable for any number of servers.

namespace continuum::analytic {

/// Erlang B: probability that an arrival finds all `servers` busy in M/G/c/c (and is lost).
///   B(0) = 1,  B(m) = a·B(m−1) / (m + a·B(m−1)).
/// Exact; O(servers). Throws std::invalid_argument if offered_load < 0 or servers < 0.
double erlang_b(double offered_load, int servers);

/// Natural logarithm of Erlang B, computed in log space so that values far below the smallest
/// double (thousands of servers for a small load) keep their precision. Same arguments as
/// erlang_b; returns −∞ when the load is 0 and servers > 0.
double log_erlang_b(double offered_load, int servers);

/// Erlang C: probability that an arrival has to wait in M/M/c.
///   C = c·B / (c − a·(1 − B)),  with B = erlang_b(a, c).
/// Throws Unstable if offered_load ≥ servers, std::invalid_argument if offered_load < 0 or servers < 1.
double erlang_c(double offered_load, int servers);

}  // namespace continuum::analytic
