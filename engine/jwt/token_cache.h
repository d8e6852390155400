// Envoy's per-provider cache of verified tokens (jwt_authn's JwtCache, a simple LRU keyed by the
// token string): a token verified once is not verified again, so a client repeating its bearer
// token pays for the signature check once. Bounded, thread-safe (the proxy's event loops share
// one compiled table). Holds what a verification established: the parsed token, or the failing
// status of its signature (time and audience are checked on each use, as Envoy does).
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace gwsim::jwt {

template <typename Value>
class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity = 100) : capacity_(capacity) {}

  // The cached value, or nullptr.
  std::shared_ptr<const Value> find(const std::string& token) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(token);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void insert(const std::string& token, std::shared_ptr<const Value> value) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (capacity_ == 0) return;
    if (auto it = index_.find(token); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(token, std::move(value));
    index_[token] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return order_.size();
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Value>>;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace gwsim::jwt
