#include "models/faas/faas_function.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "models/faas/faas_billing.hpp"

namespace continuum {

namespace {
constexpr std::uint32_t kind_completion = 0;
constexpr std::uint32_t kind_timer = 1;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

FaasFunctionSpec checked(FaasFunctionSpec spec) {
  const std::string where = "FaaS function \"" + spec.name + "\": ";
  if (!(spec.memory >= 0.0) || !std::isfinite(spec.memory))
    throw std::invalid_argument(where + "memory must be a finite number of bytes >= 0");
  if (!(spec.keep_alive >= 0.0)) throw std::invalid_argument(where + "keep_alive must be >= 0 s");
  if (spec.max_instances < 1) throw std::invalid_argument(where + "max_instances must be >= 1");
  if (spec.concurrency < 1) throw std::invalid_argument(where + "concurrency must be >= 1");
  if (!(spec.startup_delay >= 0.0) || !std::isfinite(spec.startup_delay))
    throw std::invalid_argument(where + "startup_delay must be a finite time >= 0 s");
  if (!(spec.warm.mean() >= 0.0) || !(spec.cold.mean() >= 0.0))
    throw std::invalid_argument(where + "service times must have a mean >= 0 s");
  return spec;
}

std::string stream_prefix(const FaasFunctionSpec& spec, const FaasFunctionOptions& options) {
  return options.stream.empty() ? "faas/" + spec.name : options.stream;
}

double ratio(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : nan;
}
}  // namespace

FaasFunction::FaasFunction(Simulation& simulation, FaasFunctionSpec spec, FaasPricing pricing,
                           FaasClient& client, std::unique_ptr<KeepAlivePolicy> policy,
                           FaasFunctionOptions options)
    : simulation_(simulation),
      spec_(checked(std::move(spec))),
      pricing_(pricing),
      client_(client),
      policy_(std::move(policy)),
      options_(std::move(options)),
      warm_stream_(simulation.random_stream(stream_prefix(spec_, options_) + "/warm")),
      cold_stream_(simulation.random_stream(stream_prefix(spec_, options_) + "/cold")),
      warm_mean_(spec_.warm.mean()),
      concurrency_(static_cast<std::uint32_t>(spec_.concurrency)),
      max_instances_(static_cast<std::uint32_t>(spec_.max_instances)),
      window_start_(simulation.now()),
      instances_average_(simulation.now()),
      running_average_(simulation.now()),
      in_service_average_(simulation.now()) {
  counts_.name = spec_.name;
}

std::uint32_t FaasFunction::new_instance() {
  if (!free_instances_.empty()) {
    const std::uint32_t index = free_instances_.back();
    free_instances_.pop_back();
    return index;
  }
  instances_.emplace_back();
  return static_cast<std::uint32_t>(instances_.size() - 1);
}

std::uint32_t FaasFunction::new_request() {
  if (!free_requests_.empty()) {
    const std::uint32_t index = free_requests_.back();
    free_requests_.pop_back();
    return index;
  }
  requests_.emplace_back();
  return static_cast<std::uint32_t>(requests_.size() - 1);
}

void FaasFunction::record_counts() {
  const SimTime now = simulation_.now();
  instances_average_.set(now, static_cast<double>(loaded_));
  running_average_.set(now, static_cast<double>(running_));
  in_service_average_.set(now, static_cast<double>(in_service_));
}

bool FaasFunction::invoke(JobId job) {
  const SimTime now = simulation_.now();
  ++counts_.arrivals;
  if (policy_ && last_finish_ >= 0.0) policy_->on_idle_time(in_service_ > 0 ? 0.0 : now - last_finish_);

  std::uint32_t index;
  bool cold;
  double service;
  if (!available_.empty()) {
    index = available_.top();
    Instance& instance = instances_[index];
    if (instance.busy == 0) {
      ++running_;
      if (options_.expiry == ExpiryTimers::cancel) disarm_timer(instance);
    }
    if (++instance.busy == concurrency_) available_.pop();
    cold = false;
    service = spec_.warm.sample(warm_stream_);
    ++counts_.warm_starts;
  } else if (loaded_ >= max_instances_) {
    ++counts_.rejections;
    ++totals_.rejections;
    return false;
  } else {
    // A dormant instance (unloaded, waiting for its pre-warm) is loaded now instead of a new one,
    // as a cold start: its pending reload is dropped.
    if (!dormant_.empty()) {
      index = dormant_.pop();
      disarm_timer(instances_[index]);
    } else {
      index = new_instance();
    }
    Instance& instance = instances_[index];
    instance.order = next_order_++;
    instance.loaded_at = now;
    instance.busy = 1;
    instance.state = State::starting;
    ++loaded_;
    ++running_;
    cold = true;
    service = spec_.startup_delay + spec_.cold.sample(cold_stream_);
    ++counts_.cold_starts;
  }
  if (!(service >= 0.0))
    throw std::logic_error("FaaS function \"" + spec_.name + "\": negative service time");

  const std::uint32_t r = new_request();
  const double cost = invocation_cost(spec_, pricing_, cold, service, warm_mean_);
  requests_[r] = Request{job, now, index, cost, cold, true};
  ++in_service_;
  counts_.billed_seconds += billed_duration(pricing_, cold, service, warm_mean_);
  ++totals_.invocations;
  if (cold) ++totals_.cold_starts;
  totals_.cost += cost;
  simulation_.schedule_in(service, *this, kind_completion, r);
  record_counts();
  return true;
}

std::uint64_t FaasFunction::instance_order_of(JobId job) const {
  for (const Request& request : requests_)
    if (request.live && request.job == job) return instances_[request.instance].order;
  throw std::invalid_argument("FaaS function \"" + spec_.name + "\": job " + std::to_string(job) +
                              " is not in service");
}

void FaasFunction::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  if (kind == kind_completion)
    complete(static_cast<std::uint32_t>(payload));
  else
    on_timer(static_cast<std::uint32_t>(payload));
}

void FaasFunction::complete(std::uint32_t r) {
  const Request request = requests_[r];
  requests_[r].live = false;
  free_requests_.push_back(r);
  const SimTime now = simulation_.now();
  Instance& instance = instances_[request.instance];
  --in_service_;
  --instance.busy;
  if (instance.state == State::starting) instance.state = State::ready;  // its start-up is over
  if (instance.busy == 0) {
    --running_;
    become_idle(request.instance);
  } else if (!available_.contains(request.instance)) {
    available_.insert(request.instance, instance.order);  // a slot freed up
  }
  if (in_service_ == 0) last_finish_ = now;
  ++counts_.completions;
  response_times_.add(now - request.arrival);
  record_counts();
  client_.on_faas_done(request.job, FaasCompletion{request.arrival, now, request.cold, request.cost});
}

void FaasFunction::become_idle(std::uint32_t index) {
  const SimTime now = simulation_.now();
  const KeepAliveDecision decision =
      policy_ ? policy_->on_instance_idle(now) : KeepAliveDecision{0.0, spec_.keep_alive};
  if (!(decision.prewarm >= 0.0) || !std::isfinite(decision.prewarm) || !(decision.keep_alive >= 0.0))
    throw std::logic_error("keep-alive policy \"" + std::string(policy_ ? policy_->name() : "fixed") +
                           "\" returned a negative, infinite or NaN window");
  Instance& instance = instances_[index];
  if (decision.prewarm > 0.0) {
    available_.erase(index);
    unload(index);
    ++counts_.prewarm_releases;
    instance.state = State::dormant;
    instance.reload_at = now + decision.prewarm;
    instance.keep_alive_after_reload = decision.keep_alive;
    dormant_.insert(index, instance.order);
    disarm_timer(instance);
    arm_timer(index, instance.reload_at);
    return;
  }
  instance.expires_at = now + decision.keep_alive;
  if (!available_.contains(index)) available_.insert(index, instance.order);
  if (instance.expires_at == time_infinity) {  // kept forever: no timer
    disarm_timer(instance);
    return;
  }
  // Lazy timers: a pending timer that fires no later than the new expiry is kept (it re-arms
  // itself). Cancelled timers: none is pending here.
  if (instance.timer_at <= instance.expires_at) return;
  disarm_timer(instance);
  arm_timer(index, instance.expires_at);
}

void FaasFunction::arm_timer(std::uint32_t index, SimTime at) {
  Instance& instance = instances_[index];
  instance.timer = simulation_.schedule_at(at, *this, kind_timer, index);
  instance.timer_at = at;
}

void FaasFunction::disarm_timer(Instance& instance) {
  if (instance.timer_at == time_infinity) return;
  simulation_.cancel(instance.timer);
  instance.timer_at = time_infinity;
}

void FaasFunction::unload(std::uint32_t index) {
  --loaded_;
  lifespans_.add(simulation_.now() - instances_[index].loaded_at);
}

void FaasFunction::on_timer(std::uint32_t index) {
  const SimTime now = simulation_.now();
  Instance& instance = instances_[index];
  instance.timer_at = time_infinity;
  if (instance.state == State::dormant) {  // pre-warm reload
    dormant_.erase(index);
    instance.state = State::ready;
    instance.order = next_order_++;  // loaded anew: the newest instance
    instance.loaded_at = now;
    instance.expires_at = now + instance.keep_alive_after_reload;
    ++loaded_;
    ++counts_.prewarm_loads;
    available_.insert(index, instance.order);
    arm_timer(index, instance.expires_at);
    record_counts();
    return;
  }
  if (instance.busy > 0) return;  // reused since: the next idle period arms a new timer
  if (instance.expires_at > now) {
    arm_timer(index, instance.expires_at);  // reused and idle again: expires later
    return;
  }
  available_.erase(index);
  unload(index);
  ++counts_.expirations;
  instance.state = State::free;
  free_instances_.push_back(index);
  record_counts();
}

void FaasFunction::reset_statistics(SimTime now) {
  const std::string name = counts_.name;
  counts_ = FaasFunctionReport{};
  counts_.name = name;
  window_start_ = now;
  instances_average_.reset(now);
  running_average_.reset(now);
  in_service_average_.reset(now);
  lifespans_.reset();
  response_times_.reset();
}

FaasFunctionReport FaasFunction::report(SimTime now) const {
  FaasFunctionReport r = counts_;
  r.window = now - window_start_;
  const auto arrivals = static_cast<double>(r.arrivals);
  r.cold_start_probability = ratio(static_cast<double>(r.cold_starts), arrivals);
  r.rejection_probability = ratio(static_cast<double>(r.rejections), arrivals);
  r.average_instances = instances_average_.mean(now);
  r.average_running = running_average_.mean(now);
  r.average_idle = r.average_instances - r.average_running;
  r.average_in_service = in_service_average_.mean(now);
  r.peak_instances = instances_average_.max();
  r.mean_instance_lifespan = lifespans_.count() > 0 ? lifespans_.mean() : nan;
  r.mean_response_time = response_times_.count() > 0 ? response_times_.mean() : nan;
  const double gib = spec_.memory / bytes_per_gib;
  r.billed_gb_seconds = r.billed_seconds * gib;
  r.instance_gb_seconds = instances_average_.integral(now) * gib;
  const std::uint64_t accepted = r.warm_starts + r.cold_starts;
  r.pay_per_use_cost = pay_per_use_cost(pricing_, spec_.memory, r.billed_seconds, accepted);
  // λ·T of the SPACE4AI-D formula is the number of accepted invocations of the window.
  r.space4ai_cost = space4ai_faas_cost(warm_second_price(spec_, pricing_), warm_mean_,
                                       static_cast<double>(accepted), 1.0, pricing_.price_per_invocation);
  r.cost = pricing_.billing == FaasBillingModel::pay_per_use ? r.pay_per_use_cost : r.space4ai_cost;
  return r;
}

}  // namespace continuum
