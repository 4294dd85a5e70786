#pragma once
// Steady-state metrics of single-station queues with an unbounded waiting room.
//
// Notation: λ arrival rate (1/s), D = E[S] mean service time (s), ρ = λ·D / c utilisation per
// server. All models need ρ < 1 and throw Unstable otherwise; negative or non-finite rates and
// non-positive service times throw std::invalid_argument. λ = 0 is allowed (an idle station).
//
// Source: L. Kleinrock, "Queueing Systems, Vol. 1" (1975); Gross & Harris, "Fundamentals of
// Queueing Theory" (Markovian queues; the M/G/1 chapter for Pollaczek–Khinchine). All results are exact for
// the stated model; how well they describe a real resource depends on how Poisson its arrivals are.

namespace continuum::analytic {

struct QueueMetrics {
  double utilization;     ///< ρ = λ·D/c, the long-run fraction of time each server is busy
  double mean_response;   ///< R: time from arrival to departure (s)
  double mean_waiting;    ///< W = R − D: time not spent being served (s)
  double mean_in_system;  ///< L = λ·R (Little)
  double mean_in_queue;   ///< Lq = λ·W (Little)
};

/// M/M/1 (also M/G/1-PS with one server): R = D / (1 − ρ).
QueueMetrics mm1(double arrival_rate, double mean_service);

/// M/M/c FCFS: W = C(c, a)·D / (c − a) with a = λ·D and C Erlang C.
QueueMetrics mmc(double arrival_rate, double mean_service, int servers);

/// M/G/1 FCFS, Pollaczek–Khinchine: W = ρ·D·(1 + s²) / (2(1 − ρ)), s² = Var[S]/D² the squared
/// coefficient of variation of the service time (0 deterministic, 1 exponential).
QueueMetrics mg1(double arrival_rate, double mean_service, double service_scv);

/// M/G/c processor sharing. One server: R = D / (1 − ρ) for any service law (insensitivity).
/// c > 1 servers, each job served at rate min(1, c/n) when n are present (M/G/c-PS): the number in
/// system has the M/M/c distribution whatever the service law, so L and R equal those of M/M/c.
/// Here `mean_waiting` is R − D, the slowdown caused by sharing, and `mean_in_queue` = λ·(R − D).
QueueMetrics mg1_ps(double arrival_rate, double mean_service, int servers = 1);

}  // namespace continuum::analytic
