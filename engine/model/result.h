// Result<T>: a value or an error message, used instead of exceptions wherever a
// caller is expected to handle the failure (loading, parsing, compiling, the data path).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gwsim {

// An error with the place it came from. `where` is "file:line:col" when known.
struct Error {
  std::string message;
  std::string where;

  std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(std::string message, std::string where = {}) {
  return Error{std::move(message), std::move(where)};
}

}  // namespace gwsim
