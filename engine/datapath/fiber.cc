#include "engine/datapath/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

// Sanitizer builds (CMakePresets.json) tell the sanitizer of each stack switch.
#if defined(__SANITIZE_ADDRESS__)
#define GWSIM_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GWSIM_FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define GWSIM_FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GWSIM_FIBER_TSAN 1
#endif
#endif
#if defined(GWSIM_FIBER_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(GWSIM_FIBER_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

#if defined(__x86_64__)
// Switch stacks: save the callee-saved registers, the SSE and x87 control words and the stack
// pointer on the current stack (into *from), load `to`'s and return on its stack.
extern "C" void gwsim_fiber_switch(void** from, void* to);
extern "C" void gwsim_fiber_trampoline();
asm(R"(
  .text
  .globl gwsim_fiber_switch
  .type gwsim_fiber_switch,@function
gwsim_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $16, %rsp
  stmxcsr 8(%rsp)
  fnstcw 12(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr 8(%rsp)
  fldcw 12(%rsp)
  addq $16, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size gwsim_fiber_switch,.-gwsim_fiber_switch

  .globl gwsim_fiber_trampoline
  .type gwsim_fiber_trampoline,@function
gwsim_fiber_trampoline:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size gwsim_fiber_trampoline,.-gwsim_fiber_trampoline
  .section .note.GNU-stack,"",@progbits
  .text
)");

extern "C" void gwsim_fiber_entry(gwsim::datapath::Fiber* self) { gwsim::datapath::Fiber::run(self); }
#endif

namespace gwsim::datapath {

namespace {
std::size_t page_size() {
  long p = ::sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<std::size_t>(p) : 4096;
}
}  // namespace

StackPool::~StackPool() {
  for (void* s : free_) ::munmap(static_cast<char*>(s) - page_size(), size_ + page_size());
}

void* StackPool::take() {
  if (!free_.empty()) {
    void* s = free_.back();
    free_.pop_back();
    return s;
  }
  const std::size_t guard = page_size();
  void* base = ::mmap(nullptr, size_ + guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) return nullptr;
  ::mprotect(base, guard, PROT_NONE);  // an overflow faults instead of corrupting memory
  return static_cast<char*>(base) + guard;
}

void StackPool::give(void* stack) {
  if (!stack) return;
  if (free_.size() < 1024) {
    free_.push_back(stack);
  } else {
    ::munmap(static_cast<char*>(stack) - page_size(), size_ + page_size());
  }
}

Fiber::Fiber(StackPool& stacks, std::function<void()> body) : stacks_(stacks), body_(std::move(body)) {
  stack_ = stacks_.take();
#if defined(GWSIM_FIBER_TSAN)
  if (stack_) tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
#if defined(GWSIM_FIBER_TSAN)
  if (tsan_fiber_) __tsan_destroy_fiber(tsan_fiber_);
#endif
  stacks_.give(stack_);
}

void Fiber::run(Fiber* self) {
#if defined(GWSIM_FIBER_ASAN)
  // The first frame on the fiber's stack: learn the resumer's stack.
  __sanitizer_finish_switch_fiber(nullptr, &self->caller_stack_bottom_, &self->caller_stack_size_);
#endif
  try {
    self->body_();
  } catch (...) {
    // Nothing may unwind past the fiber's first frame.
  }
  self->finished_ = true;
  self->running_ = false;
#if defined(GWSIM_FIBER_ASAN)
  // Leaving for good: a null save slot lets ASan free the fiber's fake stack.
  __sanitizer_start_switch_fiber(nullptr, self->caller_stack_bottom_, self->caller_stack_size_);
#endif
#if defined(GWSIM_FIBER_TSAN)
  __tsan_switch_to_fiber(self->tsan_caller_, 0);
#endif
#if defined(__x86_64__)
  gwsim_fiber_switch(&self->sp_, self->caller_sp_);  // never comes back
  __builtin_trap();
#endif
  // ucontext: returning follows uc_link back to the last resume().
}

#if !defined(__x86_64__)
namespace {
void ucontext_entry(unsigned hi, unsigned lo) {
  Fiber::run(reinterpret_cast<Fiber*>((static_cast<std::uintptr_t>(hi) << 32) | static_cast<std::uintptr_t>(lo)));
}
}  // namespace
#endif

void Fiber::resume() {
  if (!stack_ || finished_ || running_) return;
  if (!started_) {
    started_ = true;
#if defined(__x86_64__)
    // The first switch "returns" into the trampoline, which calls gwsim_fiber_entry(this) with
    // a 16-byte aligned stack.
    auto top = (reinterpret_cast<std::uintptr_t>(stack_) + stacks_.size()) & ~std::uintptr_t{15};
    auto* frame = reinterpret_cast<std::uint64_t*>(top - 88);
    std::memset(frame, 0, 88);
    std::uint32_t mxcsr = 0;
    std::uint16_t fpucw = 0;
    asm volatile("stmxcsr %0" : "=m"(mxcsr));
    asm volatile("fnstcw %0" : "=m"(fpucw));
    std::memcpy(reinterpret_cast<char*>(frame) + 8, &mxcsr, sizeof mxcsr);
    std::memcpy(reinterpret_cast<char*>(frame) + 12, &fpucw, sizeof fpucw);
    frame[4] = reinterpret_cast<std::uint64_t>(&gwsim_fiber_entry);  // r13
    frame[5] = reinterpret_cast<std::uint64_t>(this);                // r12
    frame[8] = reinterpret_cast<std::uint64_t>(&gwsim_fiber_trampoline);  // return address
    sp_ = frame;
#else
    ::getcontext(&fiber_);
    fiber_.uc_stack.ss_sp = stack_;
    fiber_.uc_stack.ss_size = stacks_.size();
    fiber_.uc_link = &caller_;
    auto p = reinterpret_cast<std::uintptr_t>(this);
    ::makecontext(&fiber_, reinterpret_cast<void (*)()>(&ucontext_entry), 2, static_cast<unsigned>(p >> 32),
                  static_cast<unsigned>(p & 0xffffffffu));
#endif
  }
  running_ = true;
#if defined(GWSIM_FIBER_TSAN)
  tsan_caller_ = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(tsan_fiber_, 0);
#endif
#if defined(GWSIM_FIBER_ASAN)
  void* caller_fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&caller_fake_stack, stack_, stacks_.size());
#endif
#if defined(__x86_64__)
  gwsim_fiber_switch(&caller_sp_, sp_);
#else
  ::swapcontext(&caller_, &fiber_);
#endif
#if defined(GWSIM_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(caller_fake_stack, nullptr, nullptr);
#endif
}

void Fiber::suspend() {
  if (!running_) return;
  running_ = false;
#if defined(GWSIM_FIBER_ASAN)
  __sanitizer_start_switch_fiber(&asan_fake_stack_, caller_stack_bottom_, caller_stack_size_);
#endif
#if defined(GWSIM_FIBER_TSAN)
  __tsan_switch_to_fiber(tsan_caller_, 0);
#endif
#if defined(__x86_64__)
  gwsim_fiber_switch(&sp_, caller_sp_);
#else
  ::swapcontext(&fiber_, &caller_);
#endif
#if defined(GWSIM_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(asan_fake_stack_, &caller_stack_bottom_, &caller_stack_size_);
#endif
  running_ = true;
}

}  // namespace gwsim::datapath
