// A minimal fiber (its own stack) so that the data path can run the decision path as it is:
// router::exchange() calls its upstream synchronously; on real sockets that call suspends the
// fiber while the event loop performs the I/O, and the I/O's completion resumes it. So
// decision mode and datapath mode share one implementation of every decision.
//
// On x86-64 the switch is a few instructions (callee-saved registers and the stack pointer);
// elsewhere ucontext is used (which also saves the signal mask, with a system call).
// A fiber belongs to one event-loop thread: resume() and suspend() are called on it only.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace gwsim::datapath {

// Stacks for fibers, reused (mmap'd with a guard page; pages are committed only when touched).
class StackPool {
 public:
  explicit StackPool(std::size_t stack_size = 256 * 1024) : size_(stack_size) {}
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  void* take();  // the lowest address of a stack; nullptr when memory is exhausted
  void give(void* stack);
  std::size_t size() const { return size_; }

 private:
  std::size_t size_;
  std::vector<void*> free_;
};

class Fiber {
 public:
  // `body` runs on the fiber's stack; exceptions are caught and dropped at its first frame.
  Fiber(StackPool& stacks, std::function<void()> body);
  ~Fiber();  // a fiber destroyed while suspended never unwinds (only at shutdown)
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  bool valid() const { return stack_ != nullptr; }  // false: no stack could be had
  // Run the fiber until it suspends or finishes. Not from inside the fiber.
  void resume();
  // From inside the fiber: return to the resume() that ran it.
  void suspend();
  bool finished() const { return finished_; }
  bool running() const { return running_; }

  static void run(Fiber* self);  // the fiber's first frame

 private:
  StackPool& stacks_;
  std::function<void()> body_;
  void* stack_ = nullptr;
  bool started_ = false;
  bool finished_ = false;
  bool running_ = false;
  // For AddressSanitizer and ThreadSanitizer, which must be told of every stack switch (else
  // ASan reports the other stack's frames as overflows and TSan corrupts its shadow stack).
  // Unused in other builds; kept in every build so that the layout does not depend on flags.
  void* asan_fake_stack_ = nullptr;
  const void* caller_stack_bottom_ = nullptr;
  std::size_t caller_stack_size_ = 0;
  void* tsan_fiber_ = nullptr;
  void* tsan_caller_ = nullptr;
#if defined(__x86_64__)
  void* sp_ = nullptr;         // the fiber's saved stack pointer
  void* caller_sp_ = nullptr;  // the resumer's
#else
  ucontext_t fiber_{};
  ucontext_t caller_{};
#endif
};

// From inside a fiber, wait for an asynchronous operation: `initiate(handler)` starts it and
// the fiber sleeps until the handler runs (asio never runs a handler inside its initiating
// call). Returns the handler's arguments.
template <class... Results, class Initiate>
std::tuple<Results...> await_on(Fiber& fiber, Initiate&& initiate) {
  std::optional<std::tuple<Results...>> result;
  initiate([&result, &fiber](Results... values) {
    result.emplace(std::move(values)...);
    if (!fiber.running()) fiber.resume();
  });
  for (int i = 0; i < 1024 && !result; ++i) fiber.suspend();  // one wake-up: the handler's
  return std::move(*result);
}

}  // namespace gwsim::datapath
